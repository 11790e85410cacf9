import type { Messages } from '../nb';

/** English. Scheduled anonymisation and deletion (VIS-4, DPO-6): the categories the DPO's dry run shows. */
export const retention: Pick<Messages, 'retention'> = {
  retention: {
    category: {
      crmLeadContact: {
        description: 'Contact persons of leads, prospects and former customers are deleted a set number of days (default 365) after their latest activity, or their registration when there is none. Their legal bases, activities and tasks go with them.',
        keepsCompany: 'The company is kept: it is a business, not a person.',
        keepsHistory: "The company's status history and the activities not tied to a contact person are kept.",
      },
      portalEmployee: {
        description: 'Employees under a corporate agreement (name, contact details, national identity number) are deleted a set number of days (default 30) after the agreement has ended.',
        keepsAgreement: 'The agreement itself (period and services) stays as part of the customer relationship; it holds nothing about the employees.',
      },
      visitBooking: {
        description: 'Personal data in home-visit bookings is anonymised a set number of days (default 7) after the visit ended or was cancelled.',
        keepsOperational: 'Status, times, doctor, zone, urgency and source are kept without personal data, for statistics and operations.',
        keepsTimeline: 'The timeline of status changes is kept: it holds codes only, no personal data.',
        keepsPatientLink: "The link to the patient and the journal note is kept: the journal is the patient's record, kept under the Health Personnel Act.",
      },
    },
  },
};
