import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, ArrayMinSize, ArrayUnique, IsArray, IsBoolean, IsIn, IsOptional, IsString, MaxLength } from 'class-validator';
import { QueryInt } from '../../common/validators/query-number.validators';
import { WEBHOOK_EVENT_TYPES, webhookMessageId } from '../webhooks/webhook-event-types';
import { DeliveryRow, WebhookRow } from '../webhooks/webhooks.repository';

const URL_DOC =
  'http(s) only, no credentials in it; a private, loopback, link-local or multicast address (after resolving the name) only when WEBHOOK_ALLOWED_HOSTS lists it';

export class CreateWebhookDto {
  @ApiProperty({ example: 'https://siem.example-hospital.org/hooks/iomt', description: URL_DOC })
  @IsString()
  @MaxLength(2000)
  url!: string;

  @ApiProperty({ enum: WEBHOOK_EVENT_TYPES, isArray: true, example: ['firmware_downgrade', 'serial_mismatch'], description: 'Event types to deliver' })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(WEBHOOK_EVENT_TYPES.length)
  @ArrayUnique()
  @IsIn(WEBHOOK_EVENT_TYPES as unknown as string[], { each: true })
  events!: string[];

  @ApiPropertyOptional({ example: 'SOC: Splunk HEC bridge' }) @IsOptional() @IsString() @MaxLength(500) description?: string;
}

export class UpdateWebhookDto {
  @ApiPropertyOptional({ example: 'https://siem.example-hospital.org/hooks/iomt', description: URL_DOC })
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  url?: string;

  @ApiPropertyOptional({ enum: WEBHOOK_EVENT_TYPES, isArray: true })
  @IsOptional()
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(WEBHOOK_EVENT_TYPES.length)
  @ArrayUnique()
  @IsIn(WEBHOOK_EVENT_TYPES as unknown as string[], { each: true })
  events?: string[];

  @ApiPropertyOptional({ nullable: true, type: String }) @IsOptional() @IsString() @MaxLength(500) description?: string;

  @ApiPropertyOptional({ description: 'true re-enables an endpoint that was disabled: its held deliveries are sent again, with their webhook-ids' })
  @IsOptional()
  @IsBoolean()
  enabled?: boolean;
}

export class WebhookDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ example: 'https://siem.example-hospital.org/hooks/iomt' }) url!: string;
  @ApiProperty({ enum: WEBHOOK_EVENT_TYPES, isArray: true }) events!: string[];
  @ApiProperty({ nullable: true, type: String }) description!: string | null;
  @ApiProperty({ description: 'false: nothing is sent (deliveries are held) until re-enabled by PATCH' }) enabled!: boolean;
  @ApiProperty({ nullable: true, type: String, example: '50 consecutive failed delivery attempts; last: answered 503' }) disabledReason!: string | null;
  @ApiProperty({ nullable: true, type: Date, format: 'date-time' }) disabledAt!: Date | null;
  @ApiProperty({ description: 'Failed attempts in a row (0 after any success)' }) consecutiveFailures!: number;
  @ApiProperty({ format: 'date-time' }) createdAt!: Date;
  @ApiProperty({ format: 'date-time' }) updatedAt!: Date;
}

export class CreatedWebhookDto extends WebhookDto {
  @ApiProperty({
    example: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw',
    description: 'The signing secret (Standard Webhooks): shown only in this answer, stored encrypted',
  })
  secret!: string;
}

export class DeliveryQueryDto {
  @ApiPropertyOptional({ description: 'nextCursor of the previous page' }) @IsOptional() @IsString() @MaxLength(200) cursor?: string;
  @ApiPropertyOptional({ default: 50, minimum: 1, maximum: 200 }) @IsOptional() @QueryInt(1, 200) limit?: number;
}

export class DeliveryAttemptDto {
  @ApiProperty({ format: 'date-time' }) attemptedAt!: Date;
  @ApiProperty() durationMs!: number;
  @ApiProperty({ nullable: true, type: Number, example: 503, description: "The endpoint's HTTP status; null when none came" }) statusCode!: number | null;
  @ApiProperty({ nullable: true, type: String, example: 'answered 503' }) error!: string | null;
}

export class WebhookDeliveryDto {
  @ApiProperty({ example: '7' }) id!: string;
  @ApiProperty({ example: 'msg_6f1c0a0e3b8a4c2e9d5f7a1b2c3d4e5f', description: 'The webhook-id header: the same on every attempt' }) webhookId!: string;
  @ApiProperty({ nullable: true, type: String, example: '42', description: 'The security event it carries' }) eventId!: string | null;
  @ApiProperty({ example: 'firmware_downgrade' }) eventType!: string;
  @ApiProperty({ enum: ['pending', 'delivered', 'failed'], description: 'failed: given up after the retry window' }) status!: string;
  @ApiProperty() attempts!: number;
  @ApiProperty({ format: 'date-time', description: 'Pending: when the next attempt is due' }) nextAttemptAt!: Date;
  @ApiProperty({ format: 'date-time' }) createdAt!: Date;
  @ApiProperty({ nullable: true, type: Date, format: 'date-time' }) deliveredAt!: Date | null;
  @ApiProperty({ nullable: true, type: String }) lastError!: string | null;
  @ApiProperty({ type: [DeliveryAttemptDto] }) attemptList!: DeliveryAttemptDto[];
}

export class WebhookDeliveryPageDto {
  @ApiProperty({ type: [WebhookDeliveryDto] }) items!: WebhookDeliveryDto[];
  @ApiProperty({ nullable: true, type: String }) nextCursor!: string | null;
}

export function toWebhook(r: WebhookRow): WebhookDto {
  return {
    id: r.id,
    url: r.url,
    events: r.events,
    description: r.description,
    enabled: r.enabled,
    disabledReason: r.disabled_reason,
    disabledAt: r.disabled_at,
    consecutiveFailures: r.consecutive_failures,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}

export function toDelivery(r: DeliveryRow): WebhookDeliveryDto {
  return {
    id: r.id,
    webhookId: webhookMessageId(r.message_id),
    eventId: r.event_id,
    eventType: r.event_type,
    status: r.status,
    attempts: r.attempts,
    nextAttemptAt: r.next_attempt_at,
    createdAt: r.created_at,
    deliveredAt: r.delivered_at,
    lastError: r.last_error,
    attemptList: r.attempt_list.map((a) => ({ attemptedAt: new Date(a.attempted_at), durationMs: a.duration_ms, statusCode: a.status_code, error: a.error })),
  };
}
