import { Fragment } from 'preact';
import { useState } from 'preact/hooks';
import '../write.css';

/**
 * A secret the service returns once (MQTT password, API key). It lives only in the state of
 * this component: dismissing it, or leaving the page, drops it, and nothing stores it.
 */
export function ShownOnce(props: { title: string; secret: string; details?: [string, string][]; onDone: () => void }) {
  const [copied, setCopied] = useState<'yes' | 'no' | null>(null);
  return (
    <section class="panel shown-once" aria-labelledby="shown-once-title">
      <h2 id="shown-once-title">{props.title}</h2>
      <p class="notice" role="alert">
        Shown once: copy it now. The service keeps only a hash; to get another, issue a new one (the old one then stops working).
      </p>
      {props.details && (
        <dl>
          {props.details.map(([k, v]) => (
            <Fragment key={k}>
              <dt>{k}</dt>
              <dd>
                <code>{v}</code>
              </dd>
            </Fragment>
          ))}
        </dl>
      )}
      <p>
        <code class="secret" data-testid="secret">
          {props.secret}
        </code>
      </p>
      <div class="actions">
        <button
          type="button"
          onClick={() =>
            navigator.clipboard.writeText(props.secret).then(
              () => setCopied('yes'),
              () => setCopied('no'),
            )
          }
        >
          Copy
        </button>
        <button type="button" class="secondary" onClick={props.onDone}>
          Done: I have stored it
        </button>
        <span aria-live="polite">
          {copied === 'yes' && 'Copied to the clipboard.'}
          {copied === 'no' && 'The browser refused the clipboard: select the text and copy it.'}
        </span>
      </div>
    </section>
  );
}
