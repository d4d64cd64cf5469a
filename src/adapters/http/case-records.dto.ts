// Requests and answers of a case's notes and attachments, validated at the edge and described for OpenAPI.
import { ApiProperty } from '@nestjs/swagger';
import { IsString, Matches, MaxLength } from 'class-validator';
import { AttachmentView, NoteView } from '../../application/review-views';
import { NOTE_MAX_LENGTH } from '../../domain/case-record';
import { JsonView } from './json-view';

export class NoteRequest {
  @ApiProperty({ minLength: 1, maxLength: NOTE_MAX_LENGTH, example: 'Called the customer: the invoice matches the beneficiary.' })
  @IsString({ message: 'text is required and must be a string' })
  @MaxLength(NOTE_MAX_LENGTH + 1000, { message: `text must be at most ${NOTE_MAX_LENGTH} characters` })
  @Matches(/\S/, { message: 'text must not be empty or only whitespace' })
  text!: string;
}

export class NoteDto implements JsonView<NoteView> {
  @ApiProperty({ example: 'alice', description: "The analyst's token name" }) author!: string;
  @ApiProperty({ description: 'As written, without surrounding whitespace' }) text!: string;
  @ApiProperty({ format: 'date-time' }) at!: string;
}

export class AttachmentDto implements JsonView<AttachmentView> {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ example: 'invoice-2026-11.pdf' }) filename!: string;
  @ApiProperty({ enum: ['application/pdf', 'image/png', 'image/jpeg', 'text/plain', 'text/csv'] }) contentType!: string;
  @ApiProperty({ description: 'Bytes' }) size!: number;
  @ApiProperty({ description: 'Lowercase hex SHA-256 of the file, entered in the hash chain' }) sha256!: string;
  @ApiProperty({ example: 'alice' }) by!: string;
  @ApiProperty({ format: 'date-time' }) at!: string;
}

export class AttachmentUploadDto {
  @ApiProperty({ type: 'string', format: 'binary', description: 'One file, in a part named `file`' }) file!: unknown;
}
