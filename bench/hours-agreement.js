// bench/hours-agreement.js: the reference evaluations for
// bench/hours-agreement.sh. Usage: node bench/hours-agreement.js DIR, where
// DIR/node_modules has the opening_hours package (the reference
// implementation of the OSM specification). Writes one line per check:
// VALUE <TAB> YYYY-MM-DDTHH:MM <TAB> open|closed|unknown, local time of
// Europe/Paris, the place at Privas (Ardèche, school zone A).
'use strict';
process.env.TZ = 'Europe/Paris';
const path = require('path');
const opening_hours = require(path.resolve(process.argv[2], 'node_modules', 'opening_hours'));

// Values of the kinds directory data has, and of each construct of issue 16.
const values = [
  'Mo-Fr 09:00-12:00,14:00-17:00', 'Mo-Fr 08:30-12:30,13:30-17:30; Sa 09:00-12:00',
  'Tu-Sa 10:00-12:30,14:00-18:00', 'Mo,Tu,Th,Fr 09:00-12:00; We 14:00-18:00',
  'Mo-Fr 09:00-17:00; PH off', 'Tu,Th 14:00-17:00', 'We 09:00-12:00,14:00-18:00; Sa 09:00-12:00',
  'Mo 14:00-18:00; Tu-Fr 09:00-12:00,14:00-18:00; Sa 09:00-12:00', 'Mo-Th 08:30-12:00,13:30-17:00; Fr 08:30-12:00',
  '24/7', 'off', 'Mo-Su 00:00-24:00; PH off', 'Fr-Mo 10:00-18:00', 'Su,PH off; Mo-Sa 09:00-12:00',
  'Mo-Fr 09:00-18:00; Mo-Fr 12:00-14:00 off', '24/7; Mo 08:00-13:00 off', 'Mo-Fr 10:00-20:00; 12:00-14:00 off',
  'open; Tu-Su 08:30-09:00 off; Tu-Su,PH 14:00-14:30 off; Mo 08:00-13:00 off',
  'Mo-Fr 12:00-18:00; We off; Sa,PH 12:00-17:00; Th[3],Th[-1] off',
  'Mo,Tu,Th,Fr 12:00-18:00; Sa,PH 12:00-17:00; Th[3],Th[-1] off',
  'Mo-Fr 09:00-17:00; We 12:00-13:00 off', 'Mo-Sa 09:00-18:00; Mo off',
  'Mo-Fr 10:00-12:00, We 14:00-18:00', 'Mo-Fr 09:00-12:00, Sa 10:00-12:00',
  'Mo-Sa 09:00-18:00, We 12:00-14:00 off; Sa 10:00-12:00',
  'Mo-Fr 09:00-17:00 || "sur rendez-vous"', 'Mo-Fr 09:00-12:00 "sur rendez-vous"', 'Mo-Fr unknown',
  'Mo-Fr 09:00-12:00 unknown', 'Fr 22:00-02:00', 'Fr 18:00-26:00', 'Mo-Su 18:00-06:00', 'Sa 20:00-26:00',
  'Mo-Fr 18:00-24:00', 'Sa 10:00+', 'Mo-Fr 09:00-12:00; Sa 10:00+', 'Mo 14:00-16:00+',
  'Th[2] 09:00-12:00', 'Tu[1] 14:00-17:00', 'Fr[-1] 14:00-17:00', 'Sa[1,3] 10:00-12:00', 'Mo[1-2] 09:00-11:00',
  'Tu[1],Tu[3] 14:00-17:00', 'Sa[-1] +1 day 10:00-12:00',
  'Mo-Fr 09:00-12:00; Aug off', 'Mo-Fr 09:00-12:00,14:00-17:00; Aug off',
  'Mo-Fr 09:00-12:00; Jul 14-Aug 15 off', 'Mo-Fr 08:30-12:30,13:30-17:00; Jul 14-Aug 15 off',
  'Mo-Fr 09:00-12:00; Dec 24-Jan 02 off', 'Jul-Aug Mo-Fr 08:00-12:00', 'Jan-Mar Mo 10:00-12:00',
  '10:00-12:00; Dec 25 off', 'Mo-Fr 09:00-12:00; Dec 25,Jan 01 off', 'Dec 24-26 10:00-12:00',
  '2025 Mo-Fr 09:00-12:00', '2025-2026 Mo 10:00-12:00', '2026 Dec 24 10:00-12:00',
  'week 01-10 Mo 10:00-12:00', 'week 02-52/2 Fr 10:00-12:00', 'week 1,3,5 We 14:00-16:00',
  'easter 10:00-12:00', 'Mo-Fr 09:00-12:00; easter +1 day off',
  'Mo-Fr 09:00-12:00; Sa[1] 10:00-12:00; PH off', 'Mo-Fr 09:00-17:00; SH off', 'SH Mo-Fr 10:00-12:00',
  'PH 10:00-12:00', 'Mo-Fr 08:00-18:00; PH 10:00-12:00', 'sunrise-sunset', 'Mo-Su sunset-sunrise',
  'Mo-Su (sunset-01:00)-24:00', 'dawn-dusk', 'Mo-Fr 09:00-12:00; Sa 10:00-12:00 "permanence"',
];
const nominatim = { lat: '44.735', lon: '4.599', // strings: numbers are not read
  address: { country_code: 'fr', state: 'Auvergne-Rhône-Alpes', county: 'Ardèche' } };
const hours = [[0, 30], [3, 0], [6, 0], [8, 15], [9, 0], [10, 30], [12, 0], [12, 45], [13, 30], [15, 0],
  [17, 45], [18, 30], [20, 0], [21, 30], [23, 30]];
const pad = n => String(n).padStart(2, '0');
for (const v of values) {
  let oh;
  try {
    oh = new opening_hours(v, nominatim, { mode: 0, warnings_severity: 0 });
  } catch (e) {
    process.stderr.write('reference refuses: ' + v + '\n');
    continue;
  }
  for (let day = new Date(2024, 0, 1); day < new Date(2027, 0, 1); day.setDate(day.getDate() + 5)) {
    for (const [h, m] of hours) {
      const t = new Date(day.getFullYear(), day.getMonth(), day.getDate(), h, m);
      let st;
      try {
        st = oh.getUnknown(t) ? 'unknown' : oh.getState(t) ? 'open' : 'closed';
      } catch (e) {
        st = 'error';
      }
      process.stdout.write(v + '\t' + t.getFullYear() + '-' + pad(t.getMonth() + 1) + '-' + pad(t.getDate()) +
        'T' + pad(h) + ':' + pad(m) + '\t' + st + '\n');
    }
  }
}
