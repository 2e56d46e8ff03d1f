import { Body, Controller, Delete, Get, HttpCode, Param, ParseUUIDPipe, Patch, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal } from '../../auth/current-principal.decorator';
import { Principal } from '../../auth/role';
import { Roles } from '../../auth/roles.decorator';
import {
  CreatedWebhookDto,
  CreateWebhookDto,
  DeliveryQueryDto,
  toDelivery,
  toWebhook,
  UpdateWebhookDto,
  WebhookDeliveryPageDto,
  WebhookDto,
} from '../dto/webhook.dto';
import { WebhooksService } from './webhooks.service';

@ApiTags('webhooks')
@ApiBearerAuth()
@Controller('webhooks')
export class WebhooksController {
  constructor(private readonly webhooks: WebhooksService) {}

  @Post()
  @Roles('admin')
  @ApiOperation({
    summary:
      'Register a webhook endpoint: security events of the listed types are POSTed to it as CloudEvents, signed per Standard Webhooks; the signing secret is in this answer only',
  })
  @ApiCreatedResponse({ type: CreatedWebhookDto })
  async create(@CurrentPrincipal() actor: Principal, @Body() dto: CreateWebhookDto): Promise<CreatedWebhookDto> {
    const { webhook, secret } = await this.webhooks.create(actor, dto);
    return { ...toWebhook(webhook), secret };
  }

  @Get()
  @Roles('admin')
  @ApiOperation({ summary: 'Webhook endpoints (never their secrets), with whether each is enabled and why not' })
  @ApiOkResponse({ type: [WebhookDto] })
  async list(): Promise<WebhookDto[]> {
    return (await this.webhooks.list()).map(toWebhook);
  }

  @Get(':id')
  @Roles('admin')
  @ApiOperation({ summary: 'One webhook endpoint' })
  @ApiOkResponse({ type: WebhookDto })
  async get(@Param('id', ParseUUIDPipe) id: string): Promise<WebhookDto> {
    return toWebhook(await this.webhooks.get(id));
  }

  @Patch(':id')
  @Roles('admin')
  @ApiOperation({ summary: 'Change a webhook endpoint; `enabled: true` re-enables one that was disabled after failing' })
  @ApiOkResponse({ type: WebhookDto })
  async update(@CurrentPrincipal() actor: Principal, @Param('id', ParseUUIDPipe) id: string, @Body() dto: UpdateWebhookDto): Promise<WebhookDto> {
    return toWebhook(await this.webhooks.update(actor, id, dto));
  }

  @Delete(':id')
  @HttpCode(204)
  @Roles('admin')
  @ApiOperation({ summary: 'Remove a webhook endpoint and its pending deliveries' })
  @ApiNoContentResponse()
  async remove(@CurrentPrincipal() actor: Principal, @Param('id', ParseUUIDPipe) id: string): Promise<void> {
    await this.webhooks.remove(actor, id);
  }

  @Get(':id/deliveries')
  @Roles('admin')
  @ApiOperation({ summary: "The endpoint's deliveries, newest first, each with its webhook-id, status and every attempt" })
  @ApiOkResponse({ type: WebhookDeliveryPageDto })
  async deliveries(@Param('id', ParseUUIDPipe) id: string, @Query() query: DeliveryQueryDto): Promise<WebhookDeliveryPageDto> {
    const page = await this.webhooks.deliveries(id, query);
    return { items: page.items.map(toDelivery), nextCursor: page.nextCursor };
  }
}
