import { Global, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { SessionAuthenticator } from '../auth/session-authenticator';
import { UserEntity } from './entities/user.entity';
import { LoginController } from './login.controller';
import { LoginService } from './login.service';
import { PasswordHasher } from './password-hasher';
import { SessionsRepository } from './sessions.repository';
import { SessionsService } from './sessions.service';
import { UsersController } from './users.controller';
import { UsersRepository } from './users.repository';
import { UsersService } from './users.service';

/**
 * People: accounts, MFA login and sessions. Global only to hand the auth guard its
 * SessionAuthenticator (auth defines it, users implements it: no module cycle).
 */
@Global()
@Module({
  imports: [TypeOrmModule.forFeature([UserEntity])],
  controllers: [UsersController, LoginController],
  providers: [
    UsersRepository,
    SessionsRepository,
    PasswordHasher,
    SessionsService,
    UsersService,
    LoginService,
    { provide: SessionAuthenticator, useExisting: SessionsService },
  ],
  // LoginService: the console signs people in through the same steps and sets its cookie.
  exports: [SessionAuthenticator, LoginService],
})
export class UsersModule {}
