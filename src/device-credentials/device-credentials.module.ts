import { Module } from '@nestjs/common';
import { InventoryModule } from '../inventory/inventory.module';
import { DeviceCredentialsController } from './device-credentials.controller';
import { DeviceCredentialsRepository } from './device-credentials.repository';
import { DeviceCredentialsService } from './device-credentials.service';

@Module({
  imports: [InventoryModule],
  controllers: [DeviceCredentialsController],
  providers: [DeviceCredentialsRepository, DeviceCredentialsService],
})
export class DeviceCredentialsModule {}
