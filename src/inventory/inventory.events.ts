/**
 * Emitted after a commit that may change which advisories a device is exposed to (new device,
 * firmware change, status change). The findings module listens; inventory knows nothing of it.
 */
export const DEVICES_CHANGED = 'inventory.devices-changed';

export interface DevicesChangedEvent {
  deviceIds: string[];
  reason: 'registered' | 'firmware' | 'status' | 'import' | 'model';
}

/**
 * Emitted after the commit that decommissions a device: its MQTT credentials stop working, and
 * whoever runs a broker ends the device's live sessions.
 */
export const DEVICE_DECOMMISSIONED = 'inventory.device-decommissioned';

export interface DeviceDecommissionedEvent {
  deviceId: string;
}

/**
 * Emitted after a manufacturer or model is created or renamed, or its aliases change: products
 * of imported advisories that did not map before may map now.
 */
export const CATALOG_CHANGED = 'inventory.catalog-changed';

export interface CatalogChangedEvent {
  manufacturerId: string;
}
