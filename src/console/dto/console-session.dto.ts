import { ApiProperty } from '@nestjs/swagger';
import { WhoAmIDto } from '../../users/dto/login.dto';

export class ConsoleSessionDto {
  @ApiProperty({ description: 'When the session (and its cookie) ends' }) expiresAt!: Date;
  @ApiProperty({ type: WhoAmIDto }) user!: WhoAmIDto;
}

export class ConsoleEnrolledSessionDto extends ConsoleSessionDto {
  @ApiProperty({ type: [String], example: ['k7qm-2xwa-p4dn-t6hy'], description: 'Ten single-use recovery codes, shown only now: store them offline' })
  recoveryCodes!: string[];
}
