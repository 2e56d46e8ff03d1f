import { useState } from 'preact/hooks';
import { api, errorText } from '../api/client';
import type { components } from '../api/schema.gen';
import '../write.css';

type Model = components['schemas']['DeviceModelResponseDto'];
type Manufacturer = components['schemas']['ManufacturerResponseDto'];

/**
 * Maps one product an advisory names to a device model. The service applies it at once to every
 * stored advisory naming the product, and findings follow; the caller reloads the advisory.
 */
export function MapProduct(props: {
  vendor: string;
  productName: string;
  productRef: string;
  models: Model[];
  manufacturers: Manufacturer[];
  onMapped: () => void;
}) {
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const id = `map-${props.productRef.replace(/[^A-Za-z0-9_-]/g, '_')}`;
  const byManufacturer = props.manufacturers
    .map((m) => ({ m, models: props.models.filter((x) => x.manufacturerId === m.id) }))
    .filter((g) => g.models.length > 0);

  const submit = async (e: Event) => {
    e.preventDefault();
    const modelId = String(new FormData(e.currentTarget as HTMLFormElement).get('modelId') ?? '');
    if (!modelId) return setError('Choose a model');
    setBusy(true);
    setError(null);
    const { data, error } = await api.PUT('/api/v1/product-mappings', { body: { vendor: props.vendor, productName: props.productName, modelId } });
    setBusy(false);
    if (!data) return setError(errorText(error, 'The product was not mapped'));
    props.onMapped();
  };

  return (
    <form class="inline-form" onSubmit={(e) => void submit(e)}>
      <label for={id}>
        Model for {props.productName}
        <select id={id} name="modelId" required>
          <option value="">Choose a model…</option>
          {byManufacturer.map((g) => (
            <optgroup key={g.m.id} label={g.m.name}>
              {g.models.map((x) => (
                <option key={x.id} value={x.id}>
                  {x.name} ({x.modelNumber})
                </option>
              ))}
            </optgroup>
          ))}
        </select>
      </label>
      <button type="submit" disabled={busy}>
        Map
      </button>
      {error && (
        <span class="error" role="alert">
          {error}
        </span>
      )}
    </form>
  );
}
