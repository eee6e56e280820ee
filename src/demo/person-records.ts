/**
 * What happens to demo persons over the record window. Most have no record at all; a few percent
 * have negative ones (traffic commonest, then overdue cards and loans, telecom and online defaults,
 * tax arrears), about 1 % of adults are listed as judgment defaulters (a third of whom perform
 * later), a handful drive drunk or are detained, about 5 % have positive records, and licensed
 * doctors and teachers now and then have professional ones.
 */
import { birthdayAt } from './calendar.ts';
import { type Emitter, lag, PUBLISH, timeline } from './emitter.ts';
import { cardStatement, courtCase, decision, receipt, reference } from './evidence.ts';
import type { Place } from './places.ts';

export interface PersonView {
  place: Place;
  birth: number;
  /** The person's professional licence kind (`doctor`, `teacher`...), if any. */
  licenceKind: string | undefined;
}

type Rule = (m: Emitter, p: PersonView, adult: number) => void;

const traffic: Rule = (m, p, adult) => {
  const { rng } = m;
  const n = rng.pick([1, 1, 2, 2, 3, 4, 5]);
  const issuer = `${p.place.countyShort}公交（简）决字`;
  for (let k = 0; k < n; k++) {
    const u = rng.next();
    if (u < 0.4) {
      const occurred = m.day(adult);
      if (occurred < 0) return;
      // Minor offences under the simplified procedure are decided on the spot and not published.
      m.emit('traffic.warning', 'police', {
        occurred,
        decided: occurred,
        evidence: decision(rng, issuer, occurred, 99_999),
      });
    } else if (u < 0.93) {
      const t = timeline(m, adult, rng.next() < 0.5 ? [0, 0] : [3, 20]);
      if (!t) return;
      // Road Traffic Safety Law: ordinary violations are fined 20–200 yuan.
      m.emit('traffic.fine_minor', 'police', {
        ...t,
        money: rng.pick([50, 100, 100, 150, 200, 200]),
        evidence: decision(rng, issuer, t.decided, 99_999),
      });
    } else {
      const t = timeline(m, adult, [3, 30], PUBLISH);
      if (!t) return;
      m.emit('traffic.twelve_point_offence', 'police', {
        ...t,
        evidence: decision(rng, `${p.place.countyShort}公（交）行罚决字`, t.decided),
        note: 'ran a red light or drove against traffic (12 points)',
      });
    }
  }
};

/** Consecutive months of one overdue debt: one record per month overdue. */
const overdueMonths = (m: Emitter, adult: number, type: string, lo: number, hi: number, card: boolean) => {
  const { rng } = m;
  const months = rng.pick([1, 1, 2, 2, 3, 4, 6]);
  const due = m.day(adult, 30 * months + 30);
  if (due < 0) return;
  const base = rng.logUniform(lo, hi);
  const contract = card ? '' : reference(rng, '借款合同 JK', due, 6);
  for (let k = 0; k < months; k++) {
    const occurred = due + 30 * k;
    m.emit(type, 'bank', {
      occurred,
      decided: occurred + 30,
      money: base * (1 + 0.03 * k),
      evidence: card ? cardStatement(rng, occurred) : contract,
      note: k === 0 ? 'payment one month overdue' : `payment still overdue, month ${k + 1}`,
    });
  }
};

const card: Rule = (m, _p, adult) => overdueMonths(m, adult, 'bank.card_overdue_month', 500, 30_000, true);
const loan: Rule = (m, _p, adult) => overdueMonths(m, adult, 'bank.loan_overdue_month', 1_000, 60_000, false);

const telecomBill: Rule = (m, _p, adult) => {
  const t = timeline(m, adult, [60, 120]);
  if (t) {
    m.emit('telecom.bill_default', 'telecom', {
      ...t,
      money: m.rng.logUniform(50, 1_500),
      evidence: reference(m.rng, '欠费通知 TX', t.occurred),
    });
  }
};

const onlineDefault: Rule = (m, _p, adult) => {
  const t = timeline(m, adult, [15, 60]);
  if (t) {
    m.emit('ecommerce.payment_default', 'ecommerce', {
      ...t,
      money: m.rng.logUniform(30, 5_000),
      evidence: reference(m.rng, '订单号 ', t.occurred, 10),
    });
  }
};

const taxArrears: Rule = (m, p, adult) => {
  const t = timeline(m, adult, [30, 120], PUBLISH);
  if (t) {
    m.emit('tax.arrears', 'tax', {
      ...t,
      money: m.rng.logUniform(500, 50_000),
      evidence: decision(m.rng, `${p.place.countyShort}税通`, t.decided),
    });
  }
};

const lawsuitLost: Rule = (m, p, adult) => {
  const t = timeline(m, adult, [120, 600], [3, 30]);
  if (t) {
    m.emit('court.contract_lawsuit_lost', 'court', {
      ...t,
      money: m.rng.logUniform(5_000, 500_000),
      evidence: courtCase(m.rng, p.place, t.decided, '民初'),
    });
  }
};

/** SPC 2017 art. 1: grounds for listing a judgment defaulter. */
const DEFAULTER_GROUNDS = [
  'able to perform but refused (SPC provisions 2017, art. 1(1))',
  'able to perform but refused (SPC provisions 2017, art. 1(1))',
  'evaded enforcement by hiding assets (art. 1(3))',
  'violated the asset reporting order (art. 1(4))',
  'violated the consumption restriction order (art. 1(5))',
];

/**
 * A judgment defaulter: often after a lost lawsuit; usually also restricted from high
 * consumption; about a third perform later and are removed from the list. `from` is the first day
 * the subject may be listed (for a person, the 18th birthday: minors may not be listed).
 */
export const defaulterChain = (m: Emitter, place: Place, from: number, lo: number, hi: number): void => {
  const { rng } = m;
  let owed = rng.logUniform(lo, hi);
  let due = -1;
  if (rng.next() < 0.5) {
    const t = timeline(m, from, [120, 400], [3, 30]);
    if (t && t.decided + 120 + 365 <= m.end) {
      m.emit('court.contract_lawsuit_lost', 'court', {
        ...t,
        money: owed,
        evidence: courtCase(rng, place, t.decided, '民初'),
      });
      due = t.decided + lag(m, 15, 90);
      owed *= 1.05;
    }
  }
  const toList = lag(m, 30, 365);
  const toPublish = lag(m, 0, 3);
  const occurred = due >= 0 && due + toList + toPublish <= m.end ? due : m.day(from, toList + toPublish);
  if (occurred < 0) return;
  const decided = occurred + toList;
  const disclosed = decided + toPublish;
  const enforcement = courtCase(rng, place, decided, '执');
  const ground = rng.pick(DEFAULTER_GROUNDS);
  // "Able but refuses" is listed until a deletion condition (SPC 2017 art. 2): its own type. Every
  // listing and its exit carry the enforcement case number, which matches one to the other.
  m.emit(
    ground.startsWith('able') ? 'court.judgment_defaulter_refusing' : 'court.judgment_defaulter',
    'court',
    {
      occurred,
      decided,
      disclosed,
      money: owed,
      evidence: enforcement,
      note: ground,
    },
  );
  if (rng.next() < 0.6) {
    m.emit('court.consumption_restriction', 'court', {
      occurred,
      decided,
      disclosed,
      money: owed,
      evidence: enforcement,
    });
  }
  // SPC 2017 art. 10: deleted within 3 working days once the obligation is performed.
  if (rng.next() < 1 / 3 && decided + 15 + 3 <= m.end) {
    const performed = m.day(decided + 15, 3);
    const removed = performed + lag(m, 0, 3);
    // Mostly performed in full; now and then settled, withdrawn by the applicant, or ended.
    const x = rng.next();
    const [type, note] =
      x < 0.8
        ? ['court.judgment_performed', 'performed in full; removed from the list of defaulters']
        : x < 0.9
          ? ['court.settlement_reached', 'settlement performed; removed from the list of defaulters']
          : x < 0.95
            ? ['court.listing_withdrawn', 'the applicant withdrew the enforcement application']
            : ['court.enforcement_terminated', 'enforcement terminated'];
    m.emit(type, 'court', {
      occurred: performed,
      decided: removed,
      disclosed: removed,
      ...(type === 'court.listing_withdrawn' || type === 'court.enforcement_terminated'
        ? {}
        : { money: owed }),
      evidence: enforcement,
      note,
    });
  }
};

const defaulter: Rule = (m, p, adult) => defaulterChain(m, p.place, adult, 10_000, 2_000_000);

const simple =
  (
    type: string,
    source: Parameters<Emitter['emit']>[1],
    decide: readonly [number, number],
    disclose: readonly [number, number] | undefined,
    evidence: (m: Emitter, p: PersonView, decided: number) => string,
    money?: readonly [number, number],
    minAge = 18,
  ): Rule =>
  (m, p, adult) => {
    const from = minAge === 18 ? adult : birthdayAt(p.birth, minAge);
    const t = timeline(m, from, decide, disclose);
    if (!t) return;
    m.emit(type, source, {
      ...t,
      ...(money ? { money: m.rng.logUniform(money[0], money[1]) } : {}),
      evidence: evidence(m, p, t.decided),
    });
  };

const policeDecision = (office: string) => (m: Emitter, p: PersonView, day: number) =>
  decision(m.rng, `${p.place.countyShort}公（${office}）行罚决字`, day);

const drunkDriving = simple('police.drunk_driving', 'police', [1, 30], PUBLISH, policeDecision('交'));
const detention = simple('police.administrative_detention', 'police', [0, 3], PUBLISH, policeDecision('治'));
const forgedCertificate = simple(
  'police.forged_certificate',
  'police',
  [10, 60],
  PUBLISH,
  policeDecision('治'),
);
const conviction = simple('court.intentional_crime_conviction', 'court', [90, 540], [7, 60], (m, p, d) =>
  courtCase(m.rng, p.place, d, '刑初'),
);
const parentSupport = simple(
  'court.parent_support_failure',
  'court',
  [60, 300],
  [3, 30],
  (m, p, d) => courtCase(m.rng, p.place, d, '民初'),
  undefined,
  35,
);
const shamLitigation = simple('court.sham_litigation', 'court', [60, 365], [3, 30], (m, p, d) =>
  courtCase(m.rng, p.place, d, '民初'),
);
const labourBreach = simple(
  'employer.labour_contract_breach',
  'employer',
  [60, 240],
  undefined,
  (m, p, d) => decision(m.rng, `${p.place.countyShort}劳人仲案字`, d),
  [2_000, 100_000],
);
const scamAccount = simple(
  'social.platform_scam_account',
  'social_platform',
  [1, 30],
  undefined,
  (m, _p, d) => reference(m.rng, '账号处置 SP', d),
);
const academicFraud = simple('school.academic_fraud', 'school', [30, 180], [1, 14], (m, _p, d) =>
  decision(m.rng, '学术不端处理', d),
);
const taxEvasion = simple(
  'tax.serious_evasion',
  'tax',
  [90, 365],
  PUBLISH,
  (m, p, d) => decision(m.rng, `${p.place.countyShort}税稽罚`, d),
  [50_000, 2_000_000],
);

const telecomFraud: Rule = (m, p, adult) => {
  const t = timeline(m, adult, [5, 60], PUBLISH);
  if (!t) return;
  if (m.rng.next() < 0.5) {
    m.emit('telecom.fraud_involvement', 'telecom', {
      ...t,
      evidence: reference(m.rng, '涉诈电话卡处置 TF', t.decided),
    });
  } else {
    m.emit('telecom.fraud_involvement', 'police', { ...t, evidence: policeDecision('刑')(m, p, t.decided) });
  }
};

const insuranceFraud: Rule = (m, p, adult) => {
  const t = timeline(m, adult, [30, 180], PUBLISH);
  if (!t) return;
  const money = m.rng.logUniform(2_000, 200_000);
  if (m.rng.next() < 0.7) {
    m.emit('hospital.insurance_fraud', 'hospital', {
      ...t,
      money,
      evidence: decision(m.rng, '医保违规处理', t.decided),
    });
  } else {
    m.emit('hospital.insurance_fraud', 'local_government', {
      ...t,
      money,
      evidence: decision(m.rng, `${p.place.countyShort}医保稽核`, t.decided),
    });
  }
};

const loanFraud: Rule = (m, p, adult) => {
  const t = timeline(m, adult, [90, 400], PUBLISH);
  if (!t) return;
  const money = m.rng.logUniform(50_000, 2_000_000);
  if (m.rng.next() < 0.5) {
    m.emit('bank.loan_fraud', 'bank', { ...t, money, evidence: reference(m.rng, '借款合同 JK', t.occurred) });
  } else {
    m.emit('bank.loan_fraud', 'court', {
      ...t,
      money,
      evidence: courtCase(m.rng, p.place, t.decided, '刑初'),
    });
  }
};

const marketPenalty: Rule = (m, p, adult) => {
  const t = timeline(m, adult, [7, 60], PUBLISH);
  if (!t) return;
  if (m.rng.next() < 0.5) {
    m.emit('market.administrative_warning', 'market_regulator', {
      ...t,
      evidence: decision(m.rng, `${p.place.countyShort}市监警`, t.decided),
    });
  } else {
    m.emit('market.administrative_penalty', 'market_regulator', {
      ...t,
      money: m.rng.logUniform(500, 20_000),
      evidence: decision(m.rng, `${p.place.countyShort}市监处罚`, t.decided),
    });
  }
};

/** Negative conduct per person over five years; at most one or two of these per person. */
const NEGATIVE: readonly (readonly [probability: number, rule: Rule])[] = [
  [0.042, traffic],
  [0.009, card],
  [0.007, loan],
  [0.006, telecomBill],
  [0.003, onlineDefault],
  [0.002, taxArrears],
  [0.003, lawsuitLost],
  [0.0105, defaulter],
  [0.0008, drunkDriving],
  [0.0008, detention],
  [0.0004, conviction],
  [0.0003, parentSupport],
  [0.0012, labourBreach],
  [0.0003, forgedCertificate],
  [0.0005, telecomFraud],
  [0.0005, scamAccount],
  [0.0003, insuranceFraud],
  [0.0004, academicFraud],
  [0.0001, loanFraud],
  [0.0001, taxEvasion],
  [0.00005, shamLitigation],
  [0.0005, marketPenalty],
];

const volunteer: Rule = (m, p) => {
  const { rng } = m;
  // Volunteers register from 14; hours are certified within a month and shown within a week.
  const from = birthdayAt(p.birth, 14);
  const n = rng.range(2, 12);
  const viaPlatform = rng.next() < 0.65;
  for (let k = 0; k < n; k++) {
    const t = timeline(m, from, [0, 30], [0, 7]);
    if (!t) return;
    if (viaPlatform) {
      m.emit('social.volunteer_hours', 'social_platform', {
        ...t,
        evidence: reference(rng, '志愿服务记录 VS', t.occurred),
      });
    } else {
      m.emit('social.volunteer_hours', 'local_government', {
        ...t,
        evidence: decision(rng, `${p.place.countyShort}志愿服务证明`, t.decided),
      });
    }
  }
};

const donation: Rule = (m, p, adult) => {
  const { rng } = m;
  const n = rng.pick([1, 1, 1, 2, 3]);
  const viaPlatform = rng.next() < 0.65;
  for (let k = 0; k < n; k++) {
    const t = timeline(m, adult, [0, 10], [0, 30]);
    if (!t) return;
    m.emit('social.donation', viaPlatform ? 'social_platform' : 'local_government', {
      ...t,
      money: rng.logUniform(50, 20_000),
      evidence: viaPlatform
        ? receipt(rng)
        : decision(rng, `${p.place.countyShort}慈善总会收`, t.decided, 9_999),
    });
  }
};

const modelWorker: Rule = (m, p) => {
  const t = timeline(m, birthdayAt(p.birth, 25), [30, 120], [0, 7]);
  if (!t) return;
  if (m.rng.next() < 0.6) {
    m.emit('employer.model_worker_award', 'local_government', {
      ...t,
      evidence: decision(m.rng, `${p.place.cityShort}人社发`, t.decided, 99),
    });
  } else {
    m.emit('employer.model_worker_award', 'employer', {
      ...t,
      evidence: decision(m.rng, `${p.place.countyShort}总工发`, t.decided, 99),
    });
  }
};

const bravery: Rule = (m, p) => {
  const t = timeline(m, birthdayAt(p.birth, 16), [30, 180], [0, 7]);
  if (!t) return;
  m.emit('social.bravery_award', m.rng.next() < 0.7 ? 'local_government' : 'police', {
    ...t,
    evidence: decision(m.rng, `${p.place.cityShort}见义勇为`, t.decided, 99),
    note: 'stopped a robbery or saved a person from drowning',
  });
};

const POSITIVE: readonly (readonly [probability: number, rule: Rule])[] = [
  [0.033, volunteer],
  [0.014, donation],
  [0.0015, modelWorker],
  [0.0003, bravery],
];

/** Share of licensed doctors and teachers with a professional misconduct record over five years. */
const DOCTOR_MISCONDUCT = 0.02;
const TEACHER_MISCONDUCT = 0.015;

/** One draw from a table of mutually exclusive rules: most draws hit none. */
const draw = (m: Emitter, table: typeof NEGATIVE, scale: number, p: PersonView, adult: number): boolean => {
  let u = m.rng.next();
  for (const [probability, rule] of table) {
    u -= probability * scale;
    if (u < 0) {
      rule(m, p, adult);
      return true;
    }
  }
  return false;
};

/**
 * Plans the records of one person; the emitter has already been told who. `scale` stretches the
 * five-year rates to the window's length.
 */
export const personRecords = (m: Emitter, p: PersonView, scale: number): void => {
  const adult = birthdayAt(p.birth, 18);
  if (draw(m, NEGATIVE, scale, p, adult) && m.rng.next() < 0.2) draw(m, NEGATIVE, scale * 8, p, adult);
  if (draw(m, POSITIVE, scale, p, adult) && m.rng.next() < 0.1) draw(m, POSITIVE, scale * 8, p, adult);
  if (p.licenceKind === 'doctor' && m.rng.next() < DOCTOR_MISCONDUCT * scale) {
    const t = timeline(m, birthdayAt(p.birth, 23), [14, 90], PUBLISH);
    if (t)
      m.emit('hospital.professional_misconduct', 'hospital', {
        ...t,
        evidence: decision(m.rng, '医务处', t.decided),
      });
  } else if (p.licenceKind === 'teacher' && m.rng.next() < TEACHER_MISCONDUCT * scale) {
    const t = timeline(m, birthdayAt(p.birth, 23), [14, 90], PUBLISH);
    if (t) {
      m.emit('school.teacher_misconduct', 'school', {
        ...t,
        evidence: decision(m.rng, `${p.place.countyShort}教师德`, t.decided),
      });
    }
  }
};
