import { Body, Controller, Delete, HttpCode, Post, Req, Res } from '@nestjs/common';
import { ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Request, Response } from 'express';
import { CurrentPrincipal } from '../auth/current-principal.decorator';
import { Principal, ROLES } from '../auth/role';
import { AuthRateLimit, Public, Roles } from '../auth/roles.decorator';
import { clearedSessionCookie, sessionCookie } from '../auth/session-cookie';
import { InvalidInputError } from '../common/domain-errors';
import { ConfirmEnrollmentDto, VerifyMfaDto } from '../users/dto/login.dto';
import { ConsoleSessionService } from './console-session.service';
import { ConsoleEnrolledSessionDto, ConsoleSessionDto } from './dto/console-session.dto';

const browserRequest = (req: Request) => ({ method: req.method, headers: req.headers, ownOrigin: `${req.protocol}://${req.get('host') ?? ''}` });

/**
 * The browser's session: the last login step answered with an httpOnly SameSite=Strict cookie
 * (docs/console.md). Start with POST /api/v1/auth/login (and /auth/mfa/enroll on first login).
 */
@ApiTags('console')
@Controller('console/session')
export class ConsoleSessionController {
  constructor(private readonly sessions: ConsoleSessionService) {}

  @Post()
  @Public()
  @AuthRateLimit()
  @HttpCode(200)
  @ApiOperation({ summary: 'Give the TOTP code (or a recovery code) for a login challenge; sets the session cookie (needs X-IoMT-Console: 1)' })
  @ApiOkResponse({ type: ConsoleSessionDto })
  async signIn(@Body() dto: VerifyMfaDto, @Req() req: Request, @Res({ passthrough: true }) res: Response): Promise<ConsoleSessionDto> {
    if ((dto.code === undefined) === (dto.recoveryCode === undefined)) throw new InvalidInputError('code: give either code or recoveryCode');
    const session = await this.sessions.verify(
      browserRequest(req),
      dto.challengeToken,
      dto.code !== undefined ? { code: dto.code } : { recoveryCode: dto.recoveryCode! },
    );
    res.setHeader('Set-Cookie', sessionCookie(session.token, session.expiresAt, req.secure));
    return { expiresAt: session.expiresAt, user: session.user };
  }

  @Post('enrolment')
  @Public()
  @AuthRateLimit()
  @HttpCode(200)
  @ApiOperation({ summary: 'First login: confirm the authenticator app with a code; sets the session cookie and answers ten recovery codes' })
  @ApiOkResponse({ type: ConsoleEnrolledSessionDto })
  async enrol(@Body() dto: ConfirmEnrollmentDto, @Req() req: Request, @Res({ passthrough: true }) res: Response): Promise<ConsoleEnrolledSessionDto> {
    const session = await this.sessions.confirmEnrolment(browserRequest(req), dto.challengeToken, dto.code);
    res.setHeader('Set-Cookie', sessionCookie(session.token, session.expiresAt, req.secure));
    return { expiresAt: session.expiresAt, user: session.user, recoveryCodes: session.recoveryCodes };
  }

  @Delete()
  @Roles(...ROLES)
  @HttpCode(204)
  @ApiOperation({ summary: 'Sign out: the session ends at once and its cookie is cleared' })
  @ApiNoContentResponse()
  async signOut(@CurrentPrincipal() actor: Principal, @Req() req: Request, @Res({ passthrough: true }) res: Response): Promise<void> {
    await this.sessions.signOut(actor);
    res.setHeader('Set-Cookie', clearedSessionCookie(req.secure));
  }
}
