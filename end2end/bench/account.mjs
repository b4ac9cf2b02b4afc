// An account for the benchmarks: signs up on the fresh server and gives the session cookie, for
// fetch (`header`) and for browser contexts (`cookies`).
export async function signUp(base) {
  const answer = await fetch(`${base}/api/auth/signup`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: 'bench@example.com', name: 'Bench', password: 'bench password' }),
  });
  if (!answer.ok) throw new Error(`sign-up failed: ${answer.status} ${await answer.text()}`);
  const header = answer.headers.get('set-cookie').split(';')[0];
  const [name, value] = header.split('=');
  return { header, cookies: [{ name, value, url: base }] };
}
