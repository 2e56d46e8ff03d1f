import { useState } from 'preact/hooks';
import { api, errorText } from '../api/client';
import type { components } from '../api/schema.gen';
import { ErrorNote } from '../components/Layout';
import { Link } from '../router';

type ImportResult = components['schemas']['CsafImportResultDto'];

/** CSAF 2.0 upload by drag and drop (or a file picker, for the keyboard): the service validates it. */
export function CsafUpload(props: { onImported: () => void }) {
  const [over, setOver] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [result, setResult] = useState<ImportResult | null>(null);

  const upload = async (file: File) => {
    setError(null);
    setResult(null);
    let document: unknown;
    try {
      document = JSON.parse(await file.text());
    } catch {
      return setError(`${file.name} is not JSON: a CSAF 2.0 document is a JSON file`);
    }
    const { data, error } = await api.POST('/api/v1/advisories/csaf', { body: document as never });
    if (!data) return setError(errorText(error, 'The document was refused'));
    setResult(data);
    props.onImported();
  };

  return (
    <section class="panel" aria-labelledby="csaf-title">
      <h2 id="csaf-title">Import a CSAF 2.0 advisory</h2>
      <div
        class={over ? 'dropzone over' : 'dropzone'}
        onDragOver={(e) => {
          e.preventDefault();
          setOver(true);
        }}
        onDragLeave={() => setOver(false)}
        onDrop={(e) => {
          e.preventDefault();
          setOver(false);
          const file = e.dataTransfer?.files[0];
          if (file) void upload(file);
        }}
      >
        <p>Drop a CSAF JSON file here, or</p>
        <label class="button">
          choose a file
          <input
            class="visually-hidden"
            type="file"
            accept=".json,application/json"
            onChange={(e) => {
              const file = e.currentTarget.files?.[0];
              if (file) void upload(file);
            }}
          />
        </label>
      </div>
      <div aria-live="polite">
        <ErrorNote error={error} />
        {result && (
          <p class="ok">
            Imported <Link href={`/advisories/${result.advisoryId}`}>{result.trackingId}</Link> ({result.status}): {result.findings?.opened ?? 0} finding
            {result.findings?.opened === 1 ? '' : 's'} opened, {result.unmappedProducts.length} product{result.unmappedProducts.length === 1 ? '' : 's'} not
            mapped.
          </p>
        )}
      </div>
    </section>
  );
}
