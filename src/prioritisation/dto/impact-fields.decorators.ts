import { applyDecorators } from '@nestjs/common';
import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';
import { MISSION_IMPACT, SAFETY_IMPACT, SYSTEM_EXPOSURE } from '../ssvc-decision-points';

/** An optional SSVC input on a request: one of its values, or null to clear it (then the decision assumes a conservative value). */
function impactField(values: readonly string[], description: string, example: string) {
  return applyDecorators(
    ApiPropertyOptional({ enum: values, nullable: true, example, description }),
    IsOptional(),
    IsIn(values as string[], { message: `must be one of ${values.join(', ')} (or null to clear)` }),
  );
}

export const SystemExposureField = () =>
  impactField(
    SYSTEM_EXPOSURE,
    'SSVC System Exposure of the device (its network placement): small = local or a highly controlled network (isolated VLAN), ' +
      'controlled = networked with access restrictions that reliably stop an attack, open = a widely reachable network. ' +
      'Unset: the decision assumes open and lists it in `assumed` (docs/prioritisation.md).',
    'controlled',
  );

export const MissionImpactField = () =>
  impactField(
    MISSION_IMPACT,
    "SSVC Mission Impact of the device's failure on the hospital's mission essential functions (e.g. from its department): " +
      'degraded, mef_support_crippled, mef_failure, mission_failure. Unset: assumed mission_failure.',
    'mef_failure',
  );

export const SafetyImpactField = (of: 'device' | 'model') =>
  impactField(
    SAFETY_IMPACT,
    of === 'device'
      ? "SSVC Safety Impact of this device, overriding its model's (an insulin pump is not a label printer): negligible, marginal, critical, " +
          'catastrophic (e.g. life-sustaining). Unset on the device and its model: assumed catastrophic.'
      : 'SSVC Safety Impact of a device of this model unless the device overrides it: negligible, marginal, critical, catastrophic. ' +
          'Set by admin or biomed only.',
    'catastrophic',
  );
