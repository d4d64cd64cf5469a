// Requests and answers of the audit exports: signed checkpoints and a case's evidence pack, described for OpenAPI.
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsInt, IsOptional, Max, Min } from 'class-validator';
import { ChainCheckpointView, ChainEntryView, ChainProblemView, CheckpointHeadView, CheckpointView } from '../../application/audit-views';
import { JsonView } from './json-view';

export class ListCheckpointsQuery {
  @ApiPropertyOptional({ minimum: 0, default: 0, description: 'Only checkpoints numbered above this (the `next` of the previous page)' })
  @IsOptional()
  @IsInt({ message: 'after must be a whole number' })
  @Min(0, { message: 'after must be 0 or more' })
  after?: number;

  @ApiPropertyOptional({ minimum: 1, maximum: 1000, default: 100 })
  @IsOptional()
  @IsInt({ message: 'limit must be a whole number' })
  @Min(1, { message: 'limit must be at least 1' })
  @Max(1000, { message: 'limit must be at most 1000' })
  limit?: number;
}

export class CheckpointHeadDto implements JsonView<CheckpointHeadView> {
  @ApiProperty() transactionId!: string;
  @ApiProperty({ example: 3 }) sequence!: number;
  @ApiProperty({ description: 'Hash of the chain entry at that sequence when signed' }) hash!: string;
}

export class CheckpointDto implements JsonView<CheckpointView> {
  @ApiProperty({ example: 1 }) version!: number;
  @ApiProperty({ example: 42 }) number!: number;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
  @ApiProperty({ type: String, nullable: true, description: 'Digest of checkpoint number - 1; null for number 1' }) previousDigest!: string | null;
  @ApiProperty({ type: [CheckpointHeadDto], description: 'Heads of the chains that moved since the previous checkpoint, by transactionId' }) heads!: CheckpointHeadDto[];
  @ApiProperty({ description: 'SHA-256 (hex) of the signed document' }) digest!: string;
  @ApiProperty({ description: 'Ed25519 signature (base64) of the canonical JSON of version, number, createdAt, previousDigest and heads' }) signature!: string;
  @ApiProperty({ description: "SHA-256 (hex) of the signing key's public key (DER SubjectPublicKeyInfo)" }) keyId!: string;
}

export class CheckpointPageDto {
  @ApiProperty({ type: [CheckpointDto] }) items!: CheckpointDto[];
  @ApiProperty({ type: Number, nullable: true, description: 'Pass as `after` for the next page; null on the last one' }) next!: number | null;
}

export class EvidenceQuery {
  @ApiPropertyOptional({ enum: ['json', 'html'], default: 'json', description: 'html: a printable page' })
  @IsOptional()
  @IsIn(['json', 'html'], { message: 'format must be json or html' })
  format?: 'json' | 'html';
}

export class ChainEntryDto implements JsonView<ChainEntryView> {
  @ApiProperty({ example: 2 }) sequence!: number;
  @ApiProperty({ enum: ['DECISION', 'NOTE', 'ATTACHMENT'] }) kind!: ChainEntryView['kind'];
  @ApiProperty({ format: 'date-time' }) at!: string;
  @ApiProperty() prevHash!: string;
  @ApiProperty() hash!: string;
}

export class ChainProblemDto implements JsonView<ChainProblemView> {
  @ApiProperty({ example: 'HASH_MISMATCH' }) kind!: string;
  @ApiProperty() message!: string;
  @ApiProperty({ type: Number, nullable: true }) sequence!: number | null;
}

export class ChainCheckpointDto implements JsonView<ChainCheckpointView> {
  @ApiProperty({ example: 42 }) number!: number;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
  @ApiProperty({ example: 3 }) sequence!: number;
  @ApiProperty() hash!: string;
  @ApiProperty() digest!: string;
  @ApiProperty() signature!: string;
  @ApiProperty() keyId!: string;
  @ApiProperty({ description: "True when today's chain still has that hash at that sequence" }) held!: boolean;
}

export class ChainDto {
  @ApiProperty({ type: [ChainEntryDto] }) entries!: ChainEntryDto[];
  @ApiProperty({ description: 'The result of verifying this chain as `npm run audit:verify` does' }) intact!: boolean;
  @ApiProperty({ type: [ChainProblemDto] }) problems!: ChainProblemDto[];
  @ApiProperty({ type: ChainCheckpointDto, nullable: true, description: 'The last signed checkpoint holding this chain' }) checkpoint!: ChainCheckpointDto | null;
}

export class EvidenceDto {
  @ApiProperty({ example: 1 }) evidenceVersion!: number;
  @ApiProperty({ format: 'date-time' }) generatedAt!: string;
  @ApiProperty({ type: Object, description: 'The transaction as GET /transactions/{transactionId} shows it: status, screening, verdicts, review, decisions, notes, attachments (digests), notifications and payment events' })
  transaction!: Record<string, unknown>;
  @ApiProperty({ type: ChainDto }) chain!: ChainDto;
  @ApiProperty({ type: Object, description: 'The request body as received, numbers with every digit' }) payload!: Record<string, unknown>;
}
