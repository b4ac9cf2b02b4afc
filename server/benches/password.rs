//! What a sign-in costs: hashing a new password and checking one (Argon2id, the parameters of
//! `auth::password`), and several checks at once, which the server bounds.

use criterion::{Criterion, criterion_group, criterion_main};
use server::auth::password;

fn passwords(c: &mut Criterion) {
    let runtime = tokio::runtime::Runtime::new().expect("runtime");
    let stored = runtime
        .block_on(password::hash("correct horse battery".into()))
        .expect("hash");
    let mut group = c.benchmark_group("argon2id");
    group.sample_size(20);
    group.bench_function("hash", |b| {
        b.iter(|| runtime.block_on(password::hash("correct horse battery".into())))
    });
    group.bench_function("verify", |b| {
        b.iter(|| {
            runtime.block_on(password::verify(
                "correct horse battery".into(),
                Some(stored.clone()),
            ))
        })
    });
    group.bench_function("verify 8 at once", |b| {
        b.iter(|| {
            runtime.block_on(async {
                let checks: Vec<_> = (0..8)
                    .map(|_| tokio::spawn(password::verify("wrong".into(), Some(stored.clone()))))
                    .collect();
                for check in checks {
                    check.await.expect("task").expect("verify");
                }
            })
        })
    });
    group.finish();
}

criterion_group!(benches, passwords);
criterion_main!(benches);
