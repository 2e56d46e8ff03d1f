import { ApiProperty } from '@nestjs/swagger';

export class DeviceCredentialsDto {
  @ApiProperty({ description: 'MQTT username: the device id', format: 'uuid' }) username!: string;
  @ApiProperty({ description: 'MQTT password. Shown only in this response; issuing again rotates it.' }) password!: string;
  @ApiProperty({ example: 'iomt/v1/devices/{id}/heartbeat', description: 'The only topic these credentials may publish to' }) topic!: string;
}
