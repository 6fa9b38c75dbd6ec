import { ApiProperty } from '@nestjs/swagger';

/** VietQR's fixed token shape: field names must not change (VietQR reads exactly these). */
export class PartnerTokenDto {
  @ApiProperty({
    description: 'Bearer token for transaction-sync (a JWT valid for nothing else)',
    example:
      'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiJ2aWV0cXIiLCJhdWQiOiJ2aWV0cXItdHJhbnNhY3Rpb24tc3luYyJ9.sig',
  })
  access_token: string;

  @ApiProperty({ description: 'Always "Bearer"', example: 'Bearer', enum: ['Bearer'] })
  token_type: 'Bearer';

  @ApiProperty({
    description: 'Lifetime of the token in seconds (an integer)',
    example: 300,
    type: 'integer',
  })
  expires_in: number;
}
