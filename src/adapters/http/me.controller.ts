// Who the caller is to the analyst API: the console asks it to show only what the caller's role allows.
import { Controller, Get, Inject, UseGuards } from '@nestjs/common';
import { ConfigType } from '@nestjs/config';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiProperty, ApiTags } from '@nestjs/swagger';
import { analystsConfig } from '../../config/analysts.config';
import { ANALYST_ROLES, AnalystRole, Principal } from '../../domain/analyst-role';
import { ANALYST_BEARER_SCHEME, AnalystAuthGuard, CurrentPrincipal } from './analyst-auth.guard';

export class PrincipalDto implements Principal {
  @ApiProperty({ example: 'alice', description: 'Recorded as the decider, claimant and author' }) name!: string;
  @ApiProperty({ enum: ANALYST_ROLES, description: 'Each role may do everything the ones before it may' }) role!: AnalystRole;
}

export class MeDto extends PrincipalDto {
  @ApiProperty({ enum: ANALYST_ROLES, description: 'The least role that may give a four-eyes second approval (FOUR_EYES_SECOND_ROLE)' })
  secondApprovalRole!: AnalystRole;
}

@ApiTags('Analysts')
@ApiBearerAuth(ANALYST_BEARER_SCHEME)
@UseGuards(AnalystAuthGuard)
@Controller('me')
export class MeController {
  constructor(@Inject(analystsConfig.KEY) private readonly analysts: ConfigType<typeof analystsConfig>) {}

  @Get()
  @ApiOperation({ summary: 'The authenticated analyst: name and role', description: 'Any role may ask. The console uses it to offer only the actions the role allows.' })
  @ApiOkResponse({ type: MeDto })
  me(@CurrentPrincipal() principal: Principal): MeDto {
    return { name: principal.name, role: principal.role, secondApprovalRole: this.analysts.fourEyesSecondRole };
  }
}
