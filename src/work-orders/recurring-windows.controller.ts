import { Body, Controller, Get, Put } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal } from '../auth/current-principal.decorator';
import { Principal } from '../auth/role';
import { Roles } from '../auth/roles.decorator';
import { PutRecurringWindowDto, RecurringWindowDto } from './dto/recurring-window.dto';
import { RecurringWindowsService } from './recurring-windows.service';

@ApiTags('work-orders')
@ApiBearerAuth()
@Controller('work-orders/recurring-windows')
export class RecurringWindowsController {
  constructor(private readonly windows: RecurringWindowsService) {}

  @Get()
  @Roles('admin', 'biomed', 'it')
  @ApiOperation({ summary: "Departments' standing maintenance windows, each with its next slot" })
  @ApiOkResponse({ type: [RecurringWindowDto] })
  list(): Promise<RecurringWindowDto[]> {
    return this.windows.list();
  }

  @Put()
  @Roles('admin', 'biomed')
  @ApiOperation({
    summary: "Set a department's standing maintenance window (RRULE + duration + time zone); orders of its devices without a window are proposed the next slot",
  })
  @ApiOkResponse({ type: RecurringWindowDto })
  put(@CurrentPrincipal() actor: Principal, @Body() dto: PutRecurringWindowDto): Promise<RecurringWindowDto> {
    return this.windows.put(actor, dto);
  }
}
