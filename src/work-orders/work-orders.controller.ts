import { Body, Controller, Get, Headers, Param, ParseUUIDPipe, Patch, Post, Put, Query, Res } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiProduces,
  ApiTags,
} from '@nestjs/swagger';
import { Response } from 'express';
import { CurrentPrincipal } from '../auth/current-principal.decorator';
import { Principal } from '../auth/role';
import { Roles } from '../auth/roles.decorator';
import { ErrorResponseDto } from '../openapi/error-response.dto';
import { CreatedWorkOrdersDto, WorkOrderDto, WorkOrderPageDto, WorkOrderPolicyDto } from './dto/work-order.dto';
import { CalendarQueryDto, CreateWorkOrdersDto, UpdateWorkOrderDto, UpdateWorkOrderPolicyDto, WorkOrderQueryDto } from './dto/work-order-input.dto';
import { WorkOrdersService } from './work-orders.service';

@ApiTags('work-orders')
@ApiBearerAuth()
@Controller('work-orders')
export class WorkOrdersController {
  constructor(private readonly orders: WorkOrdersService) {}

  @Get('policy')
  @Roles('admin', 'it', 'biomed')
  @ApiOperation({ summary: 'Which decisions open a work order by themselves' })
  @ApiOkResponse({ type: WorkOrderPolicyDto })
  policy(): Promise<WorkOrderPolicyDto> {
    return this.orders.policy();
  }

  @Put('policy')
  @Roles('admin', 'it')
  @ApiOperation({ summary: 'Set the decisions that open a work order by themselves (default: immediate, out_of_cycle)' })
  @ApiOkResponse({ type: WorkOrderPolicyDto })
  setPolicy(@CurrentPrincipal() actor: Principal, @Body() dto: UpdateWorkOrderPolicyDto): Promise<WorkOrderPolicyDto> {
    return this.orders.setPolicy(actor, dto);
  }

  @Get('calendar.ics')
  @Roles('admin', 'biomed', 'it')
  @ApiOperation({ summary: 'iCalendar (RFC 5545) feed of the maintenance windows of active work orders, per department, for the ward to subscribe to' })
  @ApiProduces('text/calendar')
  @ApiOkResponse({ description: 'text/calendar: one VEVENT per window (UID = the order id)', schema: { type: 'string' } })
  async calendar(@Query() query: CalendarQueryDto, @Res({ passthrough: true }) res: Response): Promise<string> {
    // Set only on success: an error keeps the JSON error's own type.
    const text = await this.orders.calendar(query.department);
    res.type('text/calendar; charset=utf-8');
    return text;
  }

  @Post()
  @Roles('admin', 'biomed', 'it')
  @ApiOperation({
    summary: 'Open work orders by hand: one device, several, or the whole active fleet of a model',
    description: 'Each device with open findings gets an order covering them; a device that already has an active order keeps it (its findings join it).',
  })
  @ApiCreatedResponse({ type: CreatedWorkOrdersDto })
  @ApiNotFoundResponse({ type: ErrorResponseDto, description: 'No such device (deviceId) or model (modelId)' })
  create(@CurrentPrincipal() actor: Principal, @Body() dto: CreateWorkOrdersDto): Promise<CreatedWorkOrdersDto> {
    return this.orders.create(actor, dto);
  }

  @Get()
  @Roles('admin', 'biomed', 'it', 'manufacturer')
  @ApiOperation({ summary: 'Work orders, newest first, with filters and cursor paging (CSV with Accept: text/csv); a manufacturer sees its own models only' })
  @ApiProduces('application/json', 'text/csv')
  @ApiOkResponse({ type: WorkOrderPageDto })
  async list(
    @CurrentPrincipal() viewer: Principal,
    @Query() query: WorkOrderQueryDto,
    @Headers('accept') accept: string | undefined,
    @Res({ passthrough: true }) res: Response,
  ): Promise<WorkOrderPageDto | string> {
    if (accept?.includes('text/csv')) {
      res.type('text/csv').attachment('work-orders.csv');
      return this.orders.csv(viewer, query);
    }
    return this.orders.page(viewer, query);
  }

  @Get(':id')
  @Roles('admin', 'biomed', 'it', 'manufacturer')
  @ApiOperation({ summary: 'One work order with its history' })
  @ApiOkResponse({ type: WorkOrderDto })
  @ApiNotFoundResponse({ type: ErrorResponseDto, description: 'No such order (or not one of a manufacturer’s own models)' })
  get(@CurrentPrincipal() viewer: Principal, @Param('id', ParseUUIDPipe) id: string): Promise<WorkOrderDto> {
    return this.orders.get(viewer, id);
  }

  @Patch(':id')
  @Roles('admin', 'biomed', 'it', 'manufacturer')
  @ApiOperation({
    summary: 'Move a work order along, schedule it, assign it, sign it off; a manufacturer may only answer the validation request',
    description:
      'Status: open -> scheduled -> in_progress -> verifying, one step back, or cancelled / risk_accepted (with a reason). done is reached only by proof from the device.',
  })
  @ApiOkResponse({ type: WorkOrderDto })
  @ApiNotFoundResponse({ type: ErrorResponseDto, description: 'No such order (or not one of a manufacturer’s own models)' })
  @ApiConflictResponse({ type: ErrorResponseDto, description: 'A status move that is not allowed, done included; the message names from and to' })
  update(@CurrentPrincipal() actor: Principal, @Param('id', ParseUUIDPipe) id: string, @Body() dto: UpdateWorkOrderDto): Promise<WorkOrderDto> {
    return this.orders.update(actor, id, dto);
  }
}
