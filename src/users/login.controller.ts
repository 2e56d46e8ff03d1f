import { Body, Controller, Get, HttpCode, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal } from '../auth/current-principal.decorator';
import { Principal, ROLES } from '../auth/role';
import { AuthRateLimit, Public, Roles } from '../auth/roles.decorator';
import { InvalidInputError } from '../common/domain-errors';
import {
  ChallengeDto,
  ConfirmEnrollmentDto,
  EnrolledSessionDto,
  EnrollmentDto,
  LoginChallengeDto,
  LoginDto,
  SessionDto,
  VerifyMfaDto,
  WhoAmIDto,
} from './dto/login.dto';
import { LoginService } from './login.service';

/** People's login: password -> second factor -> a short-lived bearer token. */
@ApiTags('auth')
@Controller('auth')
export class LoginController {
  constructor(private readonly login: LoginService) {}

  @Post('login')
  @Public()
  @AuthRateLimit()
  @HttpCode(200)
  @ApiOperation({ summary: 'Check email and password; answers a challenge for the second factor (never a token)' })
  @ApiOkResponse({ type: LoginChallengeDto })
  start(@Body() dto: LoginDto): Promise<LoginChallengeDto> {
    return this.login.login(dto.email, dto.password);
  }

  @Post('mfa/enroll')
  @Public()
  @AuthRateLimit()
  @HttpCode(200)
  @ApiOperation({ summary: 'First login: get a new TOTP secret (otpauth URI for a QR code)' })
  @ApiOkResponse({ type: EnrollmentDto })
  enroll(@Body() dto: ChallengeDto): Promise<EnrollmentDto> {
    return this.login.startEnrolment(dto.challengeToken);
  }

  @Post('mfa/enroll/confirm')
  @Public()
  @AuthRateLimit()
  @HttpCode(200)
  @ApiOperation({ summary: 'Confirm the authenticator app with a code; answers a session and ten recovery codes' })
  @ApiOkResponse({ type: EnrolledSessionDto })
  confirm(@Body() dto: ConfirmEnrollmentDto): Promise<EnrolledSessionDto> {
    return this.login.confirmEnrolment(dto.challengeToken, dto.code);
  }

  @Post('mfa/verify')
  @Public()
  @AuthRateLimit()
  @HttpCode(200)
  @ApiOperation({ summary: 'Give a TOTP code (or a recovery code) for the challenge; answers a session' })
  @ApiOkResponse({ type: SessionDto })
  verify(@Body() dto: VerifyMfaDto): Promise<SessionDto> {
    if ((dto.code === undefined) === (dto.recoveryCode === undefined)) throw new InvalidInputError('code: give either code or recoveryCode');
    return this.login.verify(dto.challengeToken, dto.code !== undefined ? { code: dto.code } : { recoveryCode: dto.recoveryCode! });
  }

  @Post('logout')
  @Roles(...ROLES)
  @ApiBearerAuth()
  @HttpCode(204)
  @ApiOperation({ summary: 'End the current session: its token stops working at once' })
  @ApiNoContentResponse()
  async logout(@CurrentPrincipal() actor: Principal): Promise<void> {
    await this.login.logout(actor);
  }

  @Get('me')
  @Roles(...ROLES)
  @ApiBearerAuth()
  @ApiOperation({ summary: 'Who the bearer token belongs to' })
  @ApiOkResponse({ type: WhoAmIDto })
  me(@CurrentPrincipal() actor: Principal): WhoAmIDto {
    return { kind: actor.kind, id: actor.id, name: actor.name, role: actor.role, manufacturerId: actor.manufacturerId ?? null };
  }
}
