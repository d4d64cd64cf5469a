// OpenAPI shapes of the monitoring providers' views: per-provider verdicts and the shadow report.
import { ApiProperty } from '@nestjs/swagger';

const STATUSES = ['APPROVED', 'REJECTED', 'PENDING_EXTERNAL_APPROVAL'];

export class ProviderVerdictDto {
  @ApiProperty({ example: 'flagright' }) provider!: string;
  @ApiProperty({ enum: STATUSES, nullable: true, description: 'null when the provider failed or ran out of time; the reason says why' }) status!: string | null;
  @ApiProperty({ type: [String] }) reasons!: string[];
  @ApiProperty() durationMs!: number;
  @ApiProperty({ format: 'date-time' }) screenedAt!: string;
}

export class StatusPairDto {
  @ApiProperty({ enum: STATUSES, description: 'What validate answered Toqio' }) live!: string;
  @ApiProperty({ enum: STATUSES, description: 'What the challenger said' }) shadow!: string;
  @ApiProperty() count!: number;
}

export class ShadowProviderReportDto {
  @ApiProperty({ example: 'marble' }) provider!: string;
  @ApiProperty({ description: 'Shadow verdicts with a live answer to compare with' }) compared!: number;
  @ApiProperty() agreements!: number;
  @ApiProperty() disagreements!: number;
  @ApiProperty({ description: 'Challenger calls that failed or ran out of time' }) shadowFailures!: number;
  @ApiProperty({ description: 'Transactions still being screened live' }) awaitingLive!: number;
  @ApiProperty({ type: [StatusPairDto], description: 'Counts by (live, shadow) status pair; agreement is live = shadow' }) pairs!: StatusPairDto[];
}

export class ShadowReportDto {
  @ApiProperty({ type: [String], description: 'MONITORING_SHADOW_PROVIDER now (empty when shadow mode is off)' }) currentShadowProviders!: string[];
  @ApiProperty({ type: [ShadowProviderReportDto], description: 'Every challenger that ever ran, including earlier ones' }) providers!: ShadowProviderReportDto[];
}
