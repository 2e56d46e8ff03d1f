import { useState } from 'preact/hooks';
import { api, errorText } from '../api/client';
import type { components } from '../api/schema.gen';
import { FileDrop } from '../components/FileDrop';
import { DataTable } from '../components/DataTable';
import { ErrorNote } from '../components/Layout';
import '../write.css';

type RowError = components['schemas']['ImportRowErrorDto'];

/** What the file claims to hold, so the page can say how many rows were fine. */
function countRows(name: string, text: string): { contentType: string; rows: number | null } {
  if (/\.csv$/i.test(name) || !/^\s*[{[]/.test(text)) {
    // Header excluded; a quoted value spanning lines makes this an estimate, used for display only.
    return { contentType: 'text/csv', rows: Math.max(0, text.split(/\r?\n/).filter((l) => l.trim() !== '').length - 1) };
  }
  try {
    const bundle = JSON.parse(text) as { entry?: unknown[] };
    return { contentType: 'application/fhir+json', rows: Array.isArray(bundle.entry) ? bundle.entry.length : null };
  } catch {
    return { contentType: 'application/fhir+json', rows: null };
  }
}

/**
 * Bulk import of a CSV file or a FHIR R4 Bundle. The service imports all or nothing: on a
 * refusal each problem is listed by row and field, so the file can be fixed and dropped again.
 */
export function DeviceImport(props: { onImported: () => void; onClose: () => void }) {
  const [file, setFile] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [rejected, setRejected] = useState<{ rows: RowError[]; total: number | null } | null>(null);
  const [imported, setImported] = useState<number | null>(null);

  const upload = async (f: File) => {
    setFile(f.name);
    setError(null);
    setRejected(null);
    setImported(null);
    setBusy(true);
    try {
      const text = await f.text();
      const { contentType, rows } = countRows(f.name, text);
      const { data, error, response } = await api.POST('/api/v1/devices/import', {
        body: text as never,
        bodySerializer: (b: unknown) => b as string,
        headers: { 'Content-Type': contentType },
      });
      if (data) {
        setImported(data.imported);
        props.onImported();
      } else if (response.status === 400 && error && typeof error === 'object' && 'rows' in error && Array.isArray(error.rows)) {
        setRejected({ rows: error.rows as RowError[], total: rows });
        setError(errorText(error));
      } else setError(errorText(error, 'The file was refused'));
    } finally {
      setBusy(false);
    }
  };

  const badRows = rejected ? new Set(rejected.rows.map((r) => r.row)).size : 0;
  return (
    <section class="panel" aria-labelledby="import-title">
      <h2 id="import-title">Import devices</h2>
      <p>
        A CSV file (columns manufacturer, modelNumber or modelId, serialNumber, assetTag, udi, firmwareVersion, location, department) or a FHIR R4 Bundle of
        Device resources. All or nothing: if a row is wrong, nothing is saved.
      </p>
      <FileDrop accept=".csv,text/csv,.json,application/json,application/fhir+json" label="choose a file" onFile={(f) => void upload(f)}>
        <p>Drop a CSV or FHIR JSON file here, or</p>
      </FileDrop>
      <div aria-live="polite">
        {busy && <p class="status">Importing {file}…</p>}
        {imported !== null && (
          <p class="ok" data-testid="import-result">
            Imported {imported} device{imported === 1 ? '' : 's'} from {file}.
          </p>
        )}
        <ErrorNote error={error} />
      </div>
      {rejected && (
        <>
          <p data-testid="import-accepted">
            {rejected.total === null
              ? `${badRows} row${badRows === 1 ? '' : 's'} of ${file} refused; nothing was imported.`
              : `${Math.max(0, rejected.total - badRows)} of ${rejected.total} rows accepted, ${badRows} refused: nothing was imported. Fix the rows below and drop the file again.`}
          </p>
          <DataTable<RowError>
            label="Problems in the file"
            class="import-errors"
            caption={`Problems in ${file ?? 'the file'}`}
            captionShown
            rows={rejected.rows}
            rowKey={(r, i) => `${r.row}-${r.field}-${i}`}
            columns={[
              { header: 'Row', cell: (r) => r.row, class: 'num' },
              { header: 'Field', cell: (r) => (r.field ? <code>{r.field}</code> : 'the whole row') },
              { header: 'Problem', cell: (r) => r.message },
            ]}
          />
        </>
      )}
      <div class="actions">
        <button type="button" class="secondary" onClick={props.onClose}>
          Close
        </button>
      </div>
    </section>
  );
}
