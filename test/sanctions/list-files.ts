// Small files in each official list format, written the way the publishers lay them out (field names from their schemas).
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { temporaryDirectory } from '../support/temp-dir';

export function listDirectory(): string {
  return temporaryDirectory('sanctions');
}

export function write(dir: string, name: string, text: string): string {
  const file = join(dir, name);
  writeFileSync(file, text);
  return file;
}

/** OFAC sdn.csv: no header, 12 fields, "-0- " for no value, a SUB character on the last line. */
export const OFAC_SDN_CSV = [
  `36,"AEROCARIBBEAN AIRLINES",-0- ,"CUBA",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- `,
  `2674,"HUSSEIN, Saddam","individual","IRAQ2",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,"DOB 28 Apr 1937; POB al-Awja, near Tikrit, Iraq; nationality Iraq."`,
  `9999,"IVANOV, Sergei Viktorovich","individual","RUSSIA-EO14024",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,"DOB 31 Jan 1953; DOB circa 1954; citizenship Russia; Gender Male."`,
  '\x1a',
].join('\r\n');

/** OFAC alt.csv: ent_num, alt_num, alt_type, alt_name, alt_remarks. */
export const OFAC_ALT_CSV = [
  `36,12,"aka","AERO-CARIBBEAN",-0- `,
  `2674,1001,"aka","AL-TIKRITI, Saddam Hussein",-0- `,
  `2674,1002,"aka","ABU ALI",-0- `,
].join('\r\n');

/** SDN.XML, the classic schema. */
export const OFAC_SDN_XML = `<?xml version="1.0" standalone="yes"?>
<sdnList xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xmlns="https://sanctionslistservice.ofac.treas.gov/api/PublicationPreview/exports/XML">
  <publshInformation><Publish_Date>11/28/2026</Publish_Date><Record_Count>2</Record_Count></publshInformation>
  <sdnEntry>
    <uid>2674</uid><firstName>Saddam</firstName><lastName>HUSSEIN</lastName><sdnType>Individual</sdnType>
    <programList><program>IRAQ2</program></programList>
    <akaList>
      <aka><uid>1001</uid><type>a.k.a.</type><category>strong</category><lastName>AL-TIKRITI</lastName><firstName>Saddam Hussein</firstName></aka>
      <aka><uid>1002</uid><type>a.k.a.</type><category>weak</category><lastName>ABU ALI</lastName></aka>
    </akaList>
    <nationalityList><nationality><uid>1</uid><country>Iraq</country><mainEntry>true</mainEntry></nationality></nationalityList>
    <dateOfBirthList><dateOfBirthItem><uid>2</uid><dateOfBirth>28 Apr 1937</dateOfBirth><mainEntry>true</mainEntry></dateOfBirthItem></dateOfBirthList>
  </sdnEntry>
  <sdnEntry>
    <uid>36</uid><lastName>AEROCARIBBEAN AIRLINES</lastName><sdnType>Entity</sdnType>
    <programList><program>CUBA</program></programList>
    <addressList><address><uid>25</uid><city>Havana</city><country>Cuba</country></address></addressList>
  </sdnEntry>
</sdnList>`;

/** The UN Security Council consolidated list. */
export const UN_XML = `<?xml version="1.0" encoding="UTF-8"?>
<CONSOLIDATED_LIST xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" dateGenerated="2026-11-30T10:00:00.000Z">
  <INDIVIDUALS>
    <INDIVIDUAL>
      <DATAID>6908555</DATAID><VERSIONNUM>1</VERSIONNUM>
      <FIRST_NAME>ABDUL</FIRST_NAME><SECOND_NAME>BARI</SECOND_NAME><THIRD_NAME>AKHUND</THIRD_NAME>
      <UN_LIST_TYPE>Al-Qaida</UN_LIST_TYPE><REFERENCE_NUMBER>TAi.001</REFERENCE_NUMBER><LISTED_ON>2001-01-25</LISTED_ON>
      <NAME_ORIGINAL_SCRIPT>عبدالباری آخوند</NAME_ORIGINAL_SCRIPT>
      <NATIONALITY><VALUE>Afghanistan</VALUE></NATIONALITY>
      <INDIVIDUAL_ALIAS><QUALITY>Good</QUALITY><ALIAS_NAME>Haji Abdul Bari</ALIAS_NAME></INDIVIDUAL_ALIAS>
      <INDIVIDUAL_ALIAS><QUALITY>Low</QUALITY><ALIAS_NAME></ALIAS_NAME></INDIVIDUAL_ALIAS>
      <INDIVIDUAL_ADDRESS><COUNTRY>Pakistan</COUNTRY></INDIVIDUAL_ADDRESS>
      <INDIVIDUAL_DATE_OF_BIRTH><TYPE_OF_DATE>APPROXIMATELY</TYPE_OF_DATE><YEAR>1953</YEAR></INDIVIDUAL_DATE_OF_BIRTH>
      <INDIVIDUAL_DATE_OF_BIRTH><TYPE_OF_DATE>BETWEEN</TYPE_OF_DATE><FROM_YEAR>1955</FROM_YEAR><TO_YEAR>1957</TO_YEAR></INDIVIDUAL_DATE_OF_BIRTH>
    </INDIVIDUAL>
  </INDIVIDUALS>
  <ENTITIES>
    <ENTITY>
      <DATAID>110407</DATAID><FIRST_NAME>AL-AKHTAR TRUST INTERNATIONAL</FIRST_NAME>
      <UN_LIST_TYPE>Al-Qaida</UN_LIST_TYPE><REFERENCE_NUMBER>QDe.121</REFERENCE_NUMBER>
      <ENTITY_ALIAS><QUALITY>a.k.a.</QUALITY><ALIAS_NAME>Al-Akhtar Medical Centre</ALIAS_NAME></ENTITY_ALIAS>
      <ENTITY_ADDRESS><COUNTRY>Pakistan</COUNTRY></ENTITY_ADDRESS>
    </ENTITY>
  </ENTITIES>
</CONSOLIDATED_LIST>`;

/** The EU financial sanctions file, "export" schema. */
export const EU_XML = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<export xmlns="http://eu.europa.ec/fpi/fsd/export" generationDate="2026-11-29T18:01:02.581+01:00" globalFileId="171234">
  <sanctionEntity designationDate="2014-03-17" logicalId="13" euReferenceNumber="EU.2736.21" unitedNationId="">
    <regulation regulationType="regulation" programme="UKR" numberTitle="269/2014 (OJ L78)"/>
    <subjectType code="person" classificationCode="P"/>
    <nameAlias firstName="Dmitry" middleName="Olegovich" lastName="Rogozin" wholeName="Dmitry Olegovich Rogozin" strong="true" logicalId="17"/>
    <nameAlias wholeName="Дмитрий Олегович Рогозин" nameLanguage="RU" strong="true" logicalId="18"/>
    <citizenship countryIso2Code="RU" countryDescription="RUSSIAN FEDERATION"/>
    <birthdate birthdate="1963-12-21" dayOfMonth="21" monthOfYear="12" year="1963" city="Moscow" countryIso2Code="RU"/>
  </sanctionEntity>
  <sanctionEntity designationDate="2022-02-28" logicalId="140" euReferenceNumber="EU.7210.55">
    <regulation programme="RUS"/>
    <subjectType code="enterprise" classificationCode="E"/>
    <nameAlias wholeName="Joint Stock Company Example Arms" strong="true"/>
    <address countryIso2Code="RU" countryDescription="RUSSIAN FEDERATION"/>
  </sanctionEntity>
</export>`;

const UK_COLUMNS = [
  'Last Updated', 'Unique ID', 'OFSI Group ID', 'UN Reference Number', 'Name 6', 'Name 1', 'Name 2', 'Name 3', 'Name 4', 'Name 5', 'Name type',
  'Alias strength', 'Title', 'Name non-latin script', 'Non-latin script type', 'Non-latin script language', 'Regime Name', 'Designation Type',
  'Designation source', 'Sanctions Imposed', 'Other Information', 'UK Statement of Reasons', 'Address Line 1', 'Address Line 2', 'Address Line 3',
  'Address Line 4', 'Address Line 5', 'Address Line 6', 'Address Postal Code', 'Address Country', 'Phone number', 'Website', 'Email address',
  'Date Designated', 'D.O.B', 'Nationality(/ies)', 'National Identifier number', 'National Identifier additional information', 'Passport number',
  'Passport additional information', 'Position', 'Gender', 'Town of birth', 'Country of birth', 'Type of entity', 'Subsidiaries', 'Parent company',
  'Business registration number (s)', 'IMO number', 'Current owner/operator (s)', 'Previous owner/operator (s)', 'Current believed flag of ship',
  'Previous flags', 'Type of ship', 'Tonnage of ship', 'Length of ship', 'Year Built', 'Hull identification number (HIN)',
];

const quoted = (value: string) => (/[",\n\r]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value);
export const ukRow = (values: Record<string, string>) => UK_COLUMNS.map((column) => quoted(values[column] ?? '')).join(',');

/** The UK Sanctions List (FCDO) CSV: a report-date line, the header, one line per name. */
export const UK_CSV = [
  'Report Date: 27-Nov-2026',
  UK_COLUMNS.join(','),
  ukRow({ 'Unique ID': 'RUS0001', 'Name 6': 'PUTIN', 'Name 1': 'Vladimir', 'Name 2': 'Vladimirovich', 'Name type': 'Primary Name', 'Name non-latin script': 'Владимир Владимирович ПУТИН', 'Regime Name': 'Russia', 'Designation Type': 'Individual', 'D.O.B': '07/10/1952', 'Nationality(/ies)': 'Russia', 'Other Information': 'President, "elected" 2000' }),
  ukRow({ 'Unique ID': 'RUS0002', 'Name 6': 'KOROLEV PROSPECT', 'Name type': 'Primary Name', 'Regime Name': 'Russia', 'Designation Type': 'Ship' }),
  ukRow({ 'Unique ID': 'RUS0001', 'Name 6': 'POUTINE', 'Name 1': 'Vladimir', 'Name type': 'Primary Name Variation', 'Designation Type': 'Individual', 'D.O.B': '00/00/1952' }),
].join('\n');
