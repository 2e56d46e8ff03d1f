import { Body, Controller, Delete, Get, HttpCode, Param, ParseUUIDPipe, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal } from '../auth/current-principal.decorator';
import { Principal } from '../auth/role';
import { Roles } from '../auth/roles.decorator';
import { ApiDuplicateResponse } from '../openapi/error-responses';
import { CreateUserDto, toUserResponse, UserResponseDto } from './dto/user.dto';
import { UsersService } from './users.service';

@ApiTags('users')
@ApiBearerAuth()
@Controller('users')
@Roles('admin')
export class UsersController {
  constructor(private readonly users: UsersService) {}

  @Post()
  @ApiOperation({ summary: 'Create a person; they log in with this password and must enrol TOTP at first login' })
  @ApiCreatedResponse({ type: UserResponseDto })
  @ApiDuplicateResponse('A user with this email already exists (ignoring case)')
  async create(@CurrentPrincipal() actor: Principal, @Body() dto: CreateUserDto): Promise<UserResponseDto> {
    return toUserResponse(await this.users.create(actor, dto));
  }

  @Get()
  @ApiOperation({ summary: 'List people (never their password or TOTP secret)' })
  @ApiOkResponse({ type: [UserResponseDto] })
  async list(): Promise<UserResponseDto[]> {
    return (await this.users.list()).map(toUserResponse);
  }

  @Delete(':id')
  @HttpCode(204)
  @ApiOperation({ summary: 'Disable a person: every session of theirs ends at once' })
  @ApiNoContentResponse()
  async disable(@CurrentPrincipal() actor: Principal, @Param('id', ParseUUIDPipe) id: string): Promise<void> {
    await this.users.disable(actor, id);
  }

  @Post(':id/reset-mfa')
  @HttpCode(204)
  @ApiOperation({ summary: 'Reset a lost second factor: sessions and recovery codes end; the person enrols again at next login' })
  @ApiNoContentResponse()
  async resetMfa(@CurrentPrincipal() actor: Principal, @Param('id', ParseUUIDPipe) id: string): Promise<void> {
    await this.users.resetMfa(actor, id);
  }
}
