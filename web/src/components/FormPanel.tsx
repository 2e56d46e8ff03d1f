import type { ComponentChildren } from 'preact';
import { useState } from 'preact/hooks';
import { ErrorNote } from './Layout';

/** A text field of a submitted form, trimmed; empty is undefined (the API's optional fields). */
export const formText = (form: FormData, name: string): string | undefined => {
  const v = String(form.get(name) ?? '').trim();
  return v === '' ? undefined : v;
};

/**
 * A write form in a panel: its title, the API's refusal in place, the fields, submit and Cancel.
 * `onSubmit` answers the refusal to show, or null once done (the panel then closes).
 * With `opener` the panel keeps its own open state and shows that button while closed;
 * without it the page decides when it is shown (`onCancel` closes it).
 */
export function FormPanel(props: {
  id: string;
  title: string;
  heading?: 'h2' | 'h3';
  opener?: string;
  submitLabel: string;
  onSubmit: (form: FormData) => Promise<string | null>;
  onCancel?: () => void;
  children: ComponentChildren;
}) {
  const [open, setOpen] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const close = () => {
    setOpen(false);
    setError(null);
    props.onCancel?.();
  };
  if (props.opener && !open)
    return (
      <button type="button" onClick={() => setOpen(true)}>
        {props.opener}
      </button>
    );
  const submit = async (e: Event) => {
    e.preventDefault();
    const refusal = await props.onSubmit(new FormData(e.currentTarget as HTMLFormElement));
    if (refusal === null && props.opener) close();
    else setError(refusal);
  };
  const Heading = props.heading ?? 'h3';
  return (
    <form class="panel" aria-labelledby={props.id} onSubmit={(e) => void submit(e)}>
      <Heading id={props.id}>{props.title}</Heading>
      <ErrorNote error={error} />
      {props.children}
      <div class="actions">
        <button type="submit">{props.submitLabel}</button>
        <button type="button" class="secondary" onClick={close}>
          Cancel
        </button>
      </div>
    </form>
  );
}
