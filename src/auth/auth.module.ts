import { Global, Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { ThrottlerModule } from '@nestjs/throttler';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AppConfig } from '../config/app-config';
import { AdminBootstrapService } from './admin-bootstrap.service';
import { ApiKeyEntity } from './api-key.entity';
import { ApiKeyRepository } from './api-key.repository';
import { ApiKeysController } from './api-keys.controller';
import { ApiKeysService } from './api-keys.service';
import { AuthGuard } from './auth.guard';
import { createDataProtector } from './data-key';
import { DataProtector } from './data-protector';
import { RateLimitGuard, rateLimitOptions } from './rate-limit.guard';

@Global()
@Module({
  imports: [
    TypeOrmModule.forFeature([ApiKeyEntity]),
    // Storage is created per module instance, so every app (and every e2e test app) counts alone.
    ThrottlerModule.forRootAsync({ inject: [AppConfig], useFactory: rateLimitOptions }),
  ],
  controllers: [ApiKeysController],
  providers: [
    ApiKeyRepository,
    ApiKeysService,
    AdminBootstrapService,
    { provide: DataProtector, inject: [AppConfig], useFactory: createDataProtector },
    // Rate limits first, so that unauthenticated floods are counted too.
    { provide: APP_GUARD, useClass: RateLimitGuard },
    { provide: APP_GUARD, useClass: AuthGuard },
  ],
  exports: [ApiKeysService, DataProtector],
})
export class AuthModule {}
