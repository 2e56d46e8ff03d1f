import { useState } from 'preact/hooks';
import { api, errorText } from '../api/client';
import { Qr } from '../components/Qr';
import { ErrorNote } from '../components/Layout';
import { navigate } from '../router';
import type { Me } from '../session';

type Step =
  | { step: 'password' }
  | { step: 'totp'; challengeToken: string }
  | { step: 'enrol'; challengeToken: string; otpauthUri: string; secret: string }
  | { step: 'recovery-codes'; codes: string[]; me: Me };

/** Password, then the authenticator's code (or first-time enrolment with a QR code). */
export function Login(props: { onSignedIn: (me: Me) => void }) {
  const [step, setStep] = useState<Step>({ step: 'password' });
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  document.title = 'Sign in · IoMT Inventory';

  const done = (me: Me) => {
    const next = new URLSearchParams(location.search).get('next');
    navigate(next && next.startsWith('/') && !next.startsWith('//') ? next : '/', true);
    props.onSignedIn(me);
  };

  const run = async (action: () => Promise<void>) => {
    setBusy(true);
    setError(null);
    try {
      await action();
    } finally {
      setBusy(false);
    }
  };

  const submitPassword = (e: Event) => {
    e.preventDefault();
    const form = new FormData(e.currentTarget as HTMLFormElement);
    void run(async () => {
      const { data, error } = await api.POST('/api/v1/auth/login', { body: { email: String(form.get('email')), password: String(form.get('password')) } });
      if (!data) return setError(errorText(error, 'Sign-in failed'));
      if (data.mfaRequired === 'totp') return setStep({ step: 'totp', challengeToken: data.challengeToken });
      const enrolment = await api.POST('/api/v1/auth/mfa/enroll', { body: { challengeToken: data.challengeToken } });
      if (!enrolment.data) return setError(errorText(enrolment.error));
      setStep({ step: 'enrol', challengeToken: data.challengeToken, ...enrolment.data });
    });
  };

  const submitCode = (e: Event) => {
    e.preventDefault();
    if (step.step !== 'totp' && step.step !== 'enrol') return;
    const code = String(new FormData(e.currentTarget as HTMLFormElement).get('code')).trim();
    void run(async () => {
      if (step.step === 'totp') {
        const body = /^\d{6}$/.test(code) ? { challengeToken: step.challengeToken, code } : { challengeToken: step.challengeToken, recoveryCode: code };
        const { data, error } = await api.POST('/api/v1/console/session', { body });
        return data ? done(data.user) : setError(errorText(error, 'That code was not accepted'));
      }
      const { data, error } = await api.POST('/api/v1/console/session/enrolment', { body: { challengeToken: step.challengeToken, code } });
      if (!data) return setError(errorText(error, 'That code was not accepted'));
      setStep({ step: 'recovery-codes', codes: data.recoveryCodes, me: data.user });
    });
  };

  return (
    <main id="main" class="login" tabIndex={-1}>
      <h1>Sign in to IoMT Inventory</h1>
      <ErrorNote error={error} />
      {step.step === 'password' && (
        <form onSubmit={submitPassword}>
          <label for="email">Email</label>
          <input id="email" name="email" type="email" autocomplete="username" required />
          <label for="password">Password</label>
          <input id="password" name="password" type="password" autocomplete="current-password" required />
          <button type="submit" disabled={busy}>
            Continue
          </button>
        </form>
      )}
      {(step.step === 'totp' || step.step === 'enrol') && (
        <form onSubmit={submitCode}>
          {step.step === 'enrol' && (
            <section aria-labelledby="enrol-title">
              <h2 id="enrol-title">Set up your authenticator app</h2>
              <p>Scan this code with an authenticator app, or type the key by hand, then enter the 6-digit code it shows.</p>
              <Qr text={step.otpauthUri} label="QR code of your authenticator key" />
              <p>
                Key: <code class="secret">{step.secret}</code>
              </p>
            </section>
          )}
          <label for="code">{step.step === 'totp' ? 'Code from your authenticator app (or a recovery code)' : 'Code from your authenticator app'}</label>
          <input id="code" name="code" autocomplete="one-time-code" inputMode={step.step === 'enrol' ? 'numeric' : 'text'} required autoFocus />
          <button type="submit" disabled={busy}>
            Sign in
          </button>
        </form>
      )}
      {step.step === 'recovery-codes' && (
        <section aria-labelledby="codes-title">
          <h2 id="codes-title">Your recovery codes</h2>
          <p>Each works once if you lose your authenticator. They are shown only now: store them offline.</p>
          <ul class="codes">
            {step.codes.map((c) => (
              <li key={c}>
                <code>{c}</code>
              </li>
            ))}
          </ul>
          <button type="button" onClick={() => done(step.me)}>
            I have stored them: continue
          </button>
        </section>
      )}
    </main>
  );
}
