/**
 * Every database column that holds a value sealed by the DataProtector, with the context it is
 * sealed in. One list, so that a key rotation cannot miss a column a later feature adds.
 */
export interface SealedColumn {
  /** Shown in the rotation report. */
  name: string;
  table: string;
  column: string;
  /** A column that repeats the key id, kept so rows under an old key are found by index. */
  keyIdColumn?: string;
  context: (rowId: string) => string;
}

/** Bound to the user: a secret copied to another account does not open there. */
export const totpSecretContext = (userId: string): string => `totp:${userId}`;
/** Bound to the device: a patient link copied to another device does not open there. */
export const patientRefContext = (deviceId: string): string => `patientRef:${deviceId}`;

/** Bound to the webhook: a signing secret copied onto another webhook's row does not open there. */
export const webhookSecretContext = (webhookId: string): string => `webhookSecret:${webhookId}`;

export const SEALED_COLUMNS: readonly SealedColumn[] = [
  { name: 'devices.patientRef', table: 'devices', column: 'patient_ref_sealed', keyIdColumn: 'patient_ref_key_id', context: patientRefContext },
  { name: 'users.totpSecret', table: 'users', column: 'totp_secret', context: totpSecretContext },
  { name: 'webhooks.secret', table: 'webhooks', column: 'secret_sealed', context: webhookSecretContext },
];
