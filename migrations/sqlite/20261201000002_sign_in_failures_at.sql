-- Old sign-in failures are deleted by time on every attempt: index that.
CREATE INDEX sign_in_failures_at ON sign_in_failures (at);
