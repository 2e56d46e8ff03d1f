import { useState } from 'preact/hooks';
import '../write.css';

/**
 * A destructive act in two steps: the first button asks, the second (with the consequence
 * spelled out) does it. Both are real buttons, so the keyboard reaches them.
 */
export function ConfirmButton(props: { label: string; labelFor?: string; question: string; confirmLabel: string; onConfirm: () => Promise<void> | void }) {
  const [asking, setAsking] = useState(false);
  const [busy, setBusy] = useState(false);
  if (!asking) {
    return (
      <button type="button" class="secondary" aria-label={props.labelFor ? `${props.label} ${props.labelFor}` : undefined} onClick={() => setAsking(true)}>
        {props.label}
      </button>
    );
  }
  return (
    <span class="confirm" role="group" aria-label={props.question}>
      <span>{props.question}</span>{' '}
      <button
        type="button"
        class="danger"
        disabled={busy}
        onClick={async () => {
          setBusy(true);
          try {
            await props.onConfirm();
          } finally {
            setBusy(false);
            setAsking(false);
          }
        }}
      >
        {props.confirmLabel}
      </button>{' '}
      <button type="button" class="secondary" onClick={() => setAsking(false)}>
        Cancel
      </button>
    </span>
  );
}
