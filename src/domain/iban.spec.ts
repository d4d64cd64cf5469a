import { ibanChecksumOk } from './iban';

describe('ibanChecksumOk', () => {
  it('passes IBANs whose check digits match, and no other', () => {
    expect(ibanChecksumOk('GB82WEST12345698765432')).toBe(true);
    expect(ibanChecksumOk('DE89370400440532013000')).toBe(true);
    expect(ibanChecksumOk('GB83WEST12345698765432')).toBe(false);
    expect(ibanChecksumOk('GB82WEST1234569876543')).toBe(false);
  });

  it('checks a slice of a longer text in place, and refuses anything but upper-case letters and digits', () => {
    expect(ibanChecksumOk('xxGB82WEST12345698765432yy', 2, 24)).toBe(true);
    expect(ibanChecksumOk('gb82west12345698765432')).toBe(false);
    expect(ibanChecksumOk('GB82 WEST12345698765432')).toBe(false);
  });
});
