import { birthDate } from './birth-dates';

describe('birthDate', () => {
  it('reads day-first dates as precisely as given, an unknown day or month written 00 or as a placeholder', () => {
    expect(['07/10/1952', '00/10/1952', '00/00/1952', 'dd/mm/1984', 'dd/06/1984', 'DD/MM/1945'].map(birthDate)).toEqual([
      '1952-10-07',
      '1952-10',
      '1952',
      '1984',
      '1984-06',
      '1945',
    ]);
  });

  it('reads ISO dates, OFAC month names and circa years, and nothing else', () => {
    expect(['1960-07-10', '10 Jul 1960', 'Jul 1960', 'circa 1960', '1960'].map(birthDate)).toEqual(['1960-07-10', '1960-07-10', '1960-07', '1960', '1960']);
    expect(['dd/mm/yyyy', 'unknown', '', undefined].map(birthDate)).toEqual([undefined, undefined, undefined, undefined]);
  });
});
