/** The demo's registered sources: one per source kind, each citing the law that lets it submit. */
import { REGISTRABLE_SOURCE_KINDS, type SourceKind } from '../catalogue/index.ts';
import type { DemoSource } from './types.ts';

const SOURCES: Readonly<
  Record<(typeof REGISTRABLE_SOURCE_KINDS)[number], { name: string; legalBasis: string }>
> = {
  court: {
    name: "Demo people's courts (enforcement information system)",
    legalBasis:
      'Civil Procedure Law of the PRC (2023 amendment), art. 266; SPC Provisions on the Publication of ' +
      'the List of Dishonest Judgment Defaulters (Fa Shi [2013] No. 17, amended 2017); SPC Provisions on ' +
      'Restricting High Consumption and Related Consumption by Judgment Debtors (2010, amended 2015)',
  },
  police: {
    name: 'Demo public security bureau (traffic police and public order)',
    legalBasis:
      'Road Traffic Safety Law of the PRC (2003, amended 2021); Public Security Administration ' +
      'Punishments Law of the PRC (2005, amended 2012); Administrative Penalty Law of the PRC (2021), art. 48',
  },
  tax: {
    name: 'Demo tax bureau',
    legalBasis:
      'Law of the PRC on the Administration of Tax Collection (2001, amended 2015); Measures for the ' +
      'Administration of Tax Credit (SAT Announcement [2014] No. 40)',
  },
  bank: {
    name: 'Demo commercial bank (credit reporting)',
    legalBasis:
      'Regulations on the Administration of the Credit Reporting Industry (State Council Order No. 631, ' +
      '2013), arts. 15-16 and 29',
  },
  employer: {
    name: 'Demo employers association (labour records)',
    legalBasis:
      'Labour Contract Law of the PRC (2007, amended 2012), arts. 90-91; Law of the PRC on Mediation and ' +
      'Arbitration of Labour Disputes (2007)',
  },
  market_regulator: {
    name: 'Demo administration for market regulation',
    legalBasis:
      'Interim Regulations on Enterprise Information Disclosure (State Council Order No. 654, 2014, ' +
      'amended 2024); Administrative Penalty Law of the PRC (2021), art. 48; Measures for the Administration ' +
      'of the List of Enterprises with Abnormal Operations (SAIC Order No. 68, 2014)',
  },
  ecommerce: {
    name: 'Demo e-commerce platform',
    legalBasis: 'E-Commerce Law of the PRC (2018), arts. 17, 28 and 70',
  },
  telecom: {
    name: 'Demo telecom operator',
    legalBasis:
      'Telecommunications Regulations of the PRC (2000, amended 2016), arts. 34-35; Anti-Telecom and ' +
      'Online Fraud Law of the PRC (2022), art. 31',
  },
  social_platform: {
    name: 'Demo volunteer and charity platform',
    legalBasis:
      'Regulations on Volunteer Services (State Council Order No. 685, 2017), art. 19; Charity Law of the ' +
      'PRC (2016, amended 2023)',
  },
  local_government: {
    name: 'Demo municipal credit office',
    legalBasis:
      'Planning Outline for the Construction of a Social Credit System (Guofa [2014] No. 21); Regulations ' +
      'on Ensuring Payments to Small and Medium-sized Enterprises (State Council Order No. 728, 2020); ' +
      'Regulations on Ensuring the Payment of Wages to Migrant Workers (State Council Order No. 724, 2019); ' +
      'Regulations on Open Government Information (2019)',
  },
  hospital: {
    name: 'Demo municipal hospital group',
    legalBasis:
      'Physicians Law of the PRC (2021); Regulations on the Supervision and Administration of the Use of ' +
      'Medical Security Funds (State Council Order No. 735, 2021)',
  },
  school: {
    name: 'Demo education bureau (schools)',
    legalBasis:
      'Teachers Law of the PRC (1993, amended 2009); Guiding Opinions on Handling Violations of ' +
      'Professional Ethics by Primary and Secondary School Teachers (MOE, 2018); Measures for Preventing ' +
      'and Handling Academic Misconduct in Institutions of Higher Education (MOE Order No. 40, 2016)',
  },
};

/** The source code of the demo source of a kind: `demo-` and the kind, with hyphens. */
export const demoSourceCode = (kind: SourceKind): string => `demo-${kind.replaceAll('_', '-')}`;

/** Exactly one demo source per source kind, in REGISTRABLE_SOURCE_KINDS order. */
export function demoSources(): DemoSource[] {
  return REGISTRABLE_SOURCE_KINDS.map((kind) => ({ code: demoSourceCode(kind), kind, ...SOURCES[kind] }));
}
