import { api, errorText } from '../api/client';
import type { components } from '../api/schema.gen';
import { ConfirmButton } from '../components/ConfirmButton';
import '../write.css';

export type IssuedCredentials = components['schemas']['DeviceCredentialsDto'] & { serial: string };

/** Per-device write acts of the inventory: MQTT credentials (the password goes to the caller, to show once) and decommissioning. */
export function DeviceRowActions(props: {
  id: string;
  serial: string;
  onIssued: (c: IssuedCredentials) => void;
  onDecommissioned: () => void;
  onError: (e: string | null) => void;
}) {
  const issue = async () => {
    props.onError(null);
    const { data, error } = await api.POST('/api/v1/devices/{id}/credentials', { params: { path: { id: props.id } } });
    if (!data) return props.onError(errorText(error, 'No credentials were issued'));
    props.onIssued({ ...data, serial: props.serial });
  };
  const decommission = async () => {
    props.onError(null);
    const { data, error } = await api.DELETE('/api/v1/devices/{id}', { params: { path: { id: props.id } } });
    if (!data) return props.onError(errorText(error, 'The device was not decommissioned'));
    props.onDecommissioned();
  };
  return (
    <span class="row-actions">
      <ConfirmButton
        label={`Credentials`}
        labelFor={props.serial}
        question={`Issue MQTT credentials for ${props.serial}? A password it has now stops working.`}
        confirmLabel="Issue"
        onConfirm={issue}
      />
      <ConfirmButton
        label="Decommission"
        labelFor={props.serial}
        question={`Decommission ${props.serial}? It leaves active views and reports, and its MQTT credentials stop working; its history stays.`}
        confirmLabel="Decommission"
        onConfirm={decommission}
      />
    </span>
  );
}
