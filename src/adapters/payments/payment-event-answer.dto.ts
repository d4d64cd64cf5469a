// The answer to a payment provider's webhook, as documented in OpenAPI.
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

export class PaymentEventAnswerDto {
  @ApiProperty({ example: true })
  received!: boolean;

  @ApiProperty({ format: 'uuid', description: 'the stored event; for a duplicate, the one stored first' })
  eventId!: string;

  @ApiProperty({ description: 'true when this delivery repeats an event already on record; it changed nothing' })
  duplicate!: boolean;

  @ApiPropertyOptional({ description: 'present when the event verified but could not be read: why. It is stored (outcome UNPARSED) and does nothing else' })
  unparsed?: string;
}
