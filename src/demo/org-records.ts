/**
 * What happens to demo organizations and public bodies over the record window. Firms differ: a
 * few are model taxpayers rated A year after year, a few are troubled and collect most of the
 * penalties, arrears and lawsuits; public bodies answer for government integrity (paying
 * contractors, honouring judgments, answering citizens on time).
 */
import { dayFromCivil, yearOf } from './calendar.ts';
import { type Emitter, lag, PUBLISH, timeline } from './emitter.ts';
import { courtCase, decision, receipt, reference } from './evidence.ts';
import { defaulterChain } from './person-records.ts';
import type { Place } from './places.ts';
import { OrgFlag, OrgKind } from './population.ts';

export interface OrgView {
  kind: number;
  flags: number;
  place: Place;
}

type Amounts = readonly [number, number];

/** An event at a random time decided and published after the usual lags. */
const event = (
  m: Emitter,
  type: string,
  source: Parameters<Emitter['emit']>[1],
  decide: readonly [number, number],
  disclose: readonly [number, number] | undefined,
  evidence: (decided: number) => string,
  money?: Amounts,
  note?: string,
): void => {
  const t = timeline(m, m.start, decide, disclose);
  if (!t) return;
  m.emit(type, source, {
    ...t,
    ...(money ? { money: m.rng.logUniform(money[0], money[1]) } : {}),
    evidence: evidence(t.decided),
    ...(note ? { note } : {}),
  });
};

/**
 * SAT tax credit ratings are published each April for the year before (Measures for the
 * Administration of Tax Credit, art. 24).
 */
const aGradeYears = (m: Emitter, place: Place): void => {
  for (let year = yearOf(m.start) - 1; year <= yearOf(m.end); year++) {
    const occurred = dayFromCivil(year, 12, 31);
    const decided = dayFromCivil(year + 1, 4, m.rng.range(1, 30));
    const disclosed = decided + lag(m, 0, 10);
    if (occurred < m.start || disclosed > m.end || m.rng.next() >= 0.85) continue;
    m.emit('tax.a_grade_taxpayer', 'tax', {
      occurred,
      decided,
      disclosed,
      evidence: decision(m.rng, `${place.cityShort}税发`, decided, 99),
      note: `tax credit rating A for ${year}`,
    });
  }
};

const repeat = (m: Emitter, times: readonly number[], f: () => void): void => {
  const n = m.rng.pick(times);
  for (let k = 0; k < n; k++) f();
};

/** Enterprises, individual businesses and social organizations. */
const businessRecords = (m: Emitter, o: OrgView, scale: number): void => {
  const { rng } = m;
  const { place } = o;
  const q = rng.next();
  // A model firm rarely gets into trouble; a troubled one (one in ten) much more often.
  const risk = (q < 0.2 ? 0.3 : q > 0.9 ? 4 : 0.7) * scale;
  const small = o.kind === OrgKind.individualBusiness ? 0.1 : 1;
  const hit = (p: number) => rng.next() < p * risk;
  const county = place.countyShort;

  if (o.kind === OrgKind.enterprise && q < 0.2) aGradeYears(m, place);

  if (o.kind !== OrgKind.socialOrganization) {
    if (hit(0.05)) {
      // Listed for abnormal operation after missing the annual report deadline of 30 June.
      event(m, 'market.abnormal_operation', 'market_regulator', [1, 60], [0, 3], (d) =>
        decision(rng, `${county}市监异`, d),
      );
      if (q > 0.9 && rng.next() < 0.15) {
        event(m, 'market.license_revoked', 'market_regulator', [30, 120], PUBLISH, (d) =>
          decision(rng, `${county}市监吊`, d),
        );
      }
    }
    if (hit(0.03)) {
      event(m, 'market.administrative_warning', 'market_regulator', [7, 60], PUBLISH, (d) =>
        decision(rng, `${county}市监警`, d),
      );
    }
    const penalty = (type: string, lo: number, hi: number) =>
      event(m, type, 'market_regulator', [15, 120], PUBLISH, (d) => decision(rng, `${county}市监处罚`, d), [
        lo * small,
        hi * small,
      ]);
    if (hit(0.03)) penalty('market.administrative_penalty', 2_000, 200_000);
    if (hit(0.008)) penalty('market.false_advertising', 10_000, 300_000);
    if (hit(0.008)) penalty('market.product_quality_violation', 5_000, 500_000);
    if (hit(0.004) && o.kind === OrgKind.enterprise) penalty('market.unfair_competition', 10_000, 500_000);
    if (hit(0.005)) {
      event(
        m,
        'ecommerce.fraudulent_sale',
        'ecommerce',
        [7, 60],
        undefined,
        (d) => reference(rng, '店铺处置 EC', d),
        [1_000, 200_000],
      );
    }
    if (hit(0.01)) {
      event(m, 'ecommerce.fake_reviews', 'ecommerce', [3, 30], undefined, (d) =>
        reference(rng, '店铺处置 EC', d),
      );
    }
    if (hit(0.003)) {
      event(
        m,
        'ecommerce.payment_default',
        'ecommerce',
        [15, 60],
        undefined,
        (d) => reference(rng, '订单号 ', d, 10),
        [500, 50_000],
      );
    }
    if ((o.flags & OrgFlag.medical) !== 0 && hit(0.04)) {
      // Pharmacies and clinics are checked by the medical security bureau, not by a hospital.
      event(
        m,
        'hospital.insurance_fraud',
        'local_government',
        [30, 180],
        PUBLISH,
        (d) => decision(rng, `${county}医保稽核`, d),
        [10_000, 1_000_000],
      );
    }
  }

  if (hit(0.03)) {
    repeat(m, [1, 1, 2, 3], () =>
      event(m, 'tax.arrears', 'tax', [30, 120], PUBLISH, (d) => decision(rng, `${county}税通`, d), [
        2_000 * small,
        500_000 * small,
      ]),
    );
  }
  if (o.kind === OrgKind.enterprise) {
    if (hit(0.002)) {
      event(
        m,
        'tax.serious_evasion',
        'tax',
        [90, 365],
        PUBLISH,
        (d) => decision(rng, `${county}税稽罚`, d),
        [100_000, 10_000_000],
      );
    }
    if (hit(0.002)) {
      event(
        m,
        'tax.invoice_fraud',
        'tax',
        [60, 300],
        PUBLISH,
        (d) => decision(rng, `${county}税稽罚`, d),
        [50_000, 5_000_000],
      );
    }
    if (hit(0.015)) {
      const months = rng.pick([1, 2, 3, 4]);
      const due = m.day(m.start, 30 * months + 30);
      const contract = due >= 0 ? reference(rng, '借款合同 JK', due, 6) : '';
      const base = rng.logUniform(20_000, 2_000_000);
      for (let k = 0; due >= 0 && k < months; k++) {
        m.emit('bank.loan_overdue_month', 'bank', {
          occurred: due + 30 * k,
          decided: due + 30 * (k + 1),
          money: base * (1 + 0.03 * k),
          evidence: contract,
        });
      }
    }
    if (hit(0.01)) {
      // Wage arrears come to light through labour inspection, or through a court.
      const viaCourt = rng.next() < 0.3;
      event(
        m,
        'employer.wage_arrears',
        viaCourt ? 'court' : 'local_government',
        [30, 180],
        PUBLISH,
        (d) => (viaCourt ? courtCase(rng, place, d, '民初') : decision(rng, `${county}人社监察`, d)),
        [20_000, 2_000_000],
      );
    }
    if (hit(0.002)) {
      // Serious arrears (a large sum, or refusing an order to pay), decided by the labour
      // inspectorate or a court, black-list the employer until the wages are paid.
      const viaCourt = rng.next() < 0.3;
      const source = viaCourt ? 'court' : 'local_government';
      const t = timeline(m, m.start, [30, 180], PUBLISH);
      if (t) {
        const ref = viaCourt
          ? courtCase(rng, place, t.decided, '执')
          : decision(rng, `${county}人社罚`, t.decided);
        const owed = rng.logUniform(200_000, 5_000_000);
        m.emit('employer.serious_wage_arrears', source, { ...t, money: owed, evidence: ref });
        const paid = t.decided + lag(m, 30, 400);
        if (rng.next() < 0.5 && paid + 9 <= m.end) {
          m.emit('employer.wage_arrears_paid', source, {
            occurred: paid,
            decided: paid,
            disclosed: paid + lag(m, 0, 9),
            money: owed,
            evidence: ref,
          });
        }
      }
    }
    if (hit(0.0005)) {
      event(m, 'court.sham_litigation', 'court', [60, 365], [3, 30], (d) => courtCase(rng, place, d, '民初'));
    }
    if (hit(0.001)) {
      event(m, 'police.forged_certificate', 'police', [10, 60], PUBLISH, (d) =>
        decision(rng, `${county}公（治）行罚决字`, d),
      );
    }
  }
  if (hit(0.03 * small + 0.005)) {
    event(
      m,
      'court.contract_lawsuit_lost',
      'court',
      [120, 600],
      [3, 30],
      (d) => courtCase(rng, place, d, '民初'),
      [20_000 * small, 5_000_000 * small],
    );
  }
  if (hit(0.012 * small + 0.002)) defaulterChain(m, place, m.start, 50_000 * small, 10_000_000 * small);
  if (hit(0.008)) {
    event(
      m,
      'telecom.bill_default',
      'telecom',
      [60, 120],
      undefined,
      (d) => reference(rng, '欠费通知 TX', d),
      [200, 20_000],
    );
  }
  if (hit(0.0005)) {
    event(m, 'telecom.fraud_involvement', 'telecom', [5, 60], PUBLISH, (d) =>
      reference(rng, '涉诈线路处置 TF', d),
    );
  }
  if (hit(0.001)) {
    event(m, 'social.platform_scam_account', 'social_platform', [1, 30], undefined, (d) =>
      reference(rng, '账号处置 SP', d),
    );
  }
  // Donations: model firms and social organizations give most.
  const gives = (q < 0.2 ? 0.1 : 0.02) + (o.kind === OrgKind.socialOrganization ? 0.05 : 0);
  if (rng.next() < gives * scale) {
    repeat(m, [1, 1, 2, 3], () =>
      event(
        m,
        'social.donation',
        rng.next() < 0.5 ? 'social_platform' : 'local_government',
        [0, 10],
        [0, 30],
        () => receipt(rng),
        [10_000 * small, 1_000_000 * small],
      ),
    );
  }
};

/** Government organs and public institutions: government-affairs integrity. */
const publicBodyRecords = (m: Emitter, o: OrgView, scale: number): void => {
  const { rng } = m;
  const { place } = o;
  const organ = o.kind === OrgKind.governmentOrgan;
  const office = `${place.countyShort}政务督查`;
  const hit = (p: number) => rng.next() < p * scale;
  if (hit(0.12)) {
    // Regulations on Open Government Information (2019), art. 33: reply within 20 working days.
    repeat(m, [1, 1, 2, 3], () =>
      event(m, 'gov.citizen_reply_overdue', 'local_government', [10, 60], PUBLISH, (d) =>
        decision(rng, office, d),
      ),
    );
  }
  if (organ && hit(0.06)) {
    event(m, 'gov.licensing_overdue', 'local_government', [10, 60], PUBLISH, (d) => decision(rng, office, d));
  }
  if (organ && hit(0.02)) {
    event(m, 'gov.commitment_breach', 'local_government', [30, 180], PUBLISH, (d) =>
      decision(rng, office, d),
    );
  }
  if (hit(0.03)) {
    // Regulations on Ensuring Payments to SMEs (2020): payment due within 30 days of acceptance.
    const viaCourt = rng.next() < 0.4;
    event(
      m,
      'gov.contract_default',
      viaCourt ? 'court' : 'local_government',
      [60, 365],
      PUBLISH,
      (d) => (viaCourt ? courtCase(rng, place, d, '民初') : decision(rng, `${place.countyShort}清欠办`, d)),
      [100_000, 10_000_000],
    );
  }
  if (hit(0.01)) {
    event(
      m,
      'gov.judgment_unperformed',
      'court',
      [60, 365],
      PUBLISH,
      (d) => courtCase(rng, place, d, '执'),
      [50_000, 5_000_000],
    );
  }
  if (hit(0.004)) defaulterChain(m, place, m.start, 100_000, 20_000_000);
  if (hit(0.08)) {
    repeat(m, [1, 1, 2], () =>
      event(m, 'gov.integrity_award', 'local_government', [30, 90], PUBLISH, (d) =>
        decision(rng, `${place.cityShort}信用办`, d, 99),
      ),
    );
  }
};

/** Plans the records of one organization or public body; the emitter has already been told which. */
export const orgRecords = (m: Emitter, o: OrgView, scale: number): void => {
  if (o.kind === OrgKind.governmentOrgan || o.kind === OrgKind.publicInstitution)
    publicBodyRecords(m, o, scale);
  else businessRecords(m, o, scale);
};
