// Every migration, in order. Listed explicitly (not globbed) so the app, the CLI and the
// tests load exactly the same reviewed set whether they run compiled JS or TypeScript.
import { CreateApiKeys1764300000000 } from './1764300000000-CreateApiKeys';
import { CreateAuditLog1764300001000 } from './1764300001000-CreateAuditLog';
import { CreateInventory1764300002000 } from './1764300002000-CreateInventory';
import { CreateIngest1764300003000 } from './1764300003000-CreateIngest';
import { CreateDeviceCredentials1764300004000 } from './1764300004000-CreateDeviceCredentials';
import { CreateUsers1764300006000 } from './1764300006000-CreateUsers';
import { ChainAuditLog1764300006001 } from './1764300006001-ChainAuditLog';
import { CreateAdvisoriesAndFindings1764300007000 } from './1764300007000-CreateAdvisoriesAndFindings';
import { AddDevicePatientRef1764300008000 } from './1764300008000-AddDevicePatientRef';
import { AssetTagPrefixIndexWhole1764300009000 } from './1764300009000-AssetTagPrefixIndexWhole';
import { DerivedFindingsWithoutForeignKeys1764300010000 } from './1764300010000-DerivedFindingsWithoutForeignKeys';
import { DevicePresence1764300011000 } from './1764300011000-DevicePresence';
import { AdvisoryIdentityByPublisher1764300012000 } from './1764300012000-AdvisoryIdentityByPublisher';
import { ModelGtinUniquePerManufacturer1764300012001 } from './1764300012001-ModelGtinUniquePerManufacturer';
import { FindingsRecomputeQueue1764300013000 } from './1764300013000-FindingsRecomputeQueue';
import { HeartbeatClockAhead1764300014000 } from './1764300014000-HeartbeatClockAhead';
import { SeverityUnknownOwnRank1764300017000 } from './1764300017000-SeverityUnknownOwnRank';
import { CreateProductMappings1764300018000 } from './1764300018000-CreateProductMappings';
import { CreateThreatIntel1764300020000 } from './1764300020000-CreateThreatIntel';
import { FindingPriority1764300020001 } from './1764300020001-FindingPriority';
import { CreateSecurityEvents1764300020002 } from './1764300020002-CreateSecurityEvents';
import { PriorityReportOrder1764300021000 } from './1764300021000-PriorityReportOrder';
import { ThreatIntelLoading1764300022000 } from './1764300022000-ThreatIntelLoading';
import { VexAndRiskAcceptance1764300023000 } from './1764300023000-VexAndRiskAcceptance';
import { CreateWorkOrders1764300024000 } from './1764300024000-CreateWorkOrders';
import { RecurringMaintenanceWindows1764300024001 } from './1764300024001-RecurringMaintenanceWindows';
import { CreateWebhooks1764300025000 } from './1764300025000-CreateWebhooks';
import { OverdueAndDigestEvents1764300025001 } from './1764300025001-OverdueAndDigestEvents';
import { CreateSyslogCursors1764300026000 } from './1764300026000-CreateSyslogCursors';
import { CheapFirmwareChanges1764300028000 } from './1764300028000-CheapFirmwareChanges';
import { RetentionCheckpoints1764300028001 } from './1764300028001-RetentionCheckpoints';
import { StatementLinesGateDeviceRecomputes1764300028002 } from './1764300028002-StatementLinesGateDeviceRecomputes';
import { NarrowFindingPriorities1764300029000 } from './1764300029000-NarrowFindingPriorities';
import { ExposureSearchAndDueOrder1764300029100 } from './1764300029100-ExposureSearchAndDueOrder';
import { DecisionCells1764300030000 } from './1764300030000-DecisionCells';
import { ExposureCarriesDeviceFacts1764300031000 } from './1764300031000-ExposureCarriesDeviceFacts';
import { ExposureSummaryCounts1764300031001 } from './1764300031001-ExposureSummaryCounts';

export const migrations = [
  CreateApiKeys1764300000000,
  CreateAuditLog1764300001000,
  CreateInventory1764300002000,
  CreateIngest1764300003000,
  CreateDeviceCredentials1764300004000,
  CreateUsers1764300006000,
  ChainAuditLog1764300006001,
  CreateAdvisoriesAndFindings1764300007000,
  AddDevicePatientRef1764300008000,
  AssetTagPrefixIndexWhole1764300009000,
  DerivedFindingsWithoutForeignKeys1764300010000,
  DevicePresence1764300011000,
  AdvisoryIdentityByPublisher1764300012000,
  ModelGtinUniquePerManufacturer1764300012001,
  FindingsRecomputeQueue1764300013000,
  HeartbeatClockAhead1764300014000,
  SeverityUnknownOwnRank1764300017000,
  CreateProductMappings1764300018000,
  CreateThreatIntel1764300020000,
  FindingPriority1764300020001,
  CreateSecurityEvents1764300020002,
  PriorityReportOrder1764300021000,
  ThreatIntelLoading1764300022000,
  VexAndRiskAcceptance1764300023000,
  CreateWorkOrders1764300024000,
  RecurringMaintenanceWindows1764300024001,
  CreateWebhooks1764300025000,
  OverdueAndDigestEvents1764300025001,
  CreateSyslogCursors1764300026000,
  CheapFirmwareChanges1764300028000,
  RetentionCheckpoints1764300028001,
  StatementLinesGateDeviceRecomputes1764300028002,
  NarrowFindingPriorities1764300029000,
  ExposureSearchAndDueOrder1764300029100,
  DecisionCells1764300030000,
  ExposureCarriesDeviceFacts1764300031000,
  ExposureSummaryCounts1764300031001,
];
