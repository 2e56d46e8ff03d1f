import { Injectable, Logger } from '@nestjs/common';
import { DataKeyMismatchError, DataProtector } from '../auth/data-protector';
import { Principal, Role } from '../auth/role';
import { patientRefContext } from '../auth/sealed-columns';
import { DomainError, ForbiddenError } from '../common/domain-errors';
import { DeviceEntity } from './entities/device.entity';

/** Who may read and set a device's patient link: the people who attach devices to patients. */
const PATIENT_REF_ROLES: readonly Role[] = ['admin', 'biomed'];

/** What the audit log records instead of a patient reference: that there is one, never which. */
export const PATIENT_REF_AUDIT_MARK = '[redacted]';

/** A device as one caller may see it; `patientRef` is absent for callers who may not see it. */
export interface DeviceView {
  device: DeviceEntity;
  patientRef?: string | null;
}

export interface SealedPatientRef {
  patientRefSealed: string | null;
  patientRefKeyId: string | null;
}

/** A stored patient link cannot be opened: its key is not configured. Answering without it would read as "no patient". */
export class PatientRefUnavailableError extends DomainError {
  readonly status = 503;
  constructor(deviceId: string, keyId: string | null) {
    super(
      `patientRef: the patient link of device ${deviceId} cannot be read` +
        (keyId ? `: it is sealed with data key ${keyId}, which is not configured (set IOMT_DATA_KEY_PREVIOUS)` : ': it is damaged'),
    );
  }
}

/** Seals and opens devices' patient links, and decides who sees them. */
@Injectable()
export class PatientLinks {
  private readonly logger = new Logger(PatientLinks.name);

  constructor(private readonly protector: DataProtector) {}

  canSee(viewer: Principal): boolean {
    return PATIENT_REF_ROLES.includes(viewer.role);
  }

  /** Setting a link is refused to anyone who could not read it back. */
  assertMaySet(actor: Principal): void {
    if (!this.canSee(actor)) throw new ForbiddenError(`patientRef: only ${PATIENT_REF_ROLES.join(' and ')} may link a device to a patient`);
  }

  seal(deviceId: string, patientRef: string | null): SealedPatientRef {
    if (patientRef === null) return { patientRefSealed: null, patientRefKeyId: null };
    return { patientRefSealed: this.protector.seal(patientRef, patientRefContext(deviceId)), patientRefKeyId: this.protector.keyId };
  }

  /** The plaintext link; throws PatientRefUnavailableError when it cannot be opened. */
  open(device: Pick<DeviceEntity, 'id' | 'patientRefSealed'>): string | null {
    if (device.patientRefSealed === null) return null;
    try {
      return this.protector.open(device.patientRefSealed, patientRefContext(device.id));
    } catch (e) {
      const keyId = e instanceof DataKeyMismatchError ? e.keyId : null;
      this.logger.error({ deviceId: device.id, keyId }, 'cannot open a patient link with the configured data keys');
      throw new PatientRefUnavailableError(device.id, keyId);
    }
  }

  view(viewer: Principal, device: DeviceEntity): DeviceView {
    return this.canSee(viewer) ? { device, patientRef: this.open(device) } : { device };
  }
}
