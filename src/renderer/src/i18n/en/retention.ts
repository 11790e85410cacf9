import type { Messages } from '../nb';

/** English. Scheduled anonymisation and deletion (VIS-4, DPO-6): the categories the DPO's dry run shows. */
export const retention: Pick<Messages, 'retention'> = {
  retention: {
    category: {
      crmCorrespondence: {
        description: 'The text of CRM e-mails and of messages from the contact form is deleted one year after they were sent. For a customer they are kept while the relationship lasts, and until one year after it ended.',
        keepsFact: "That the exchange took place, when, with which company and contact person and who recorded it is kept without the text: the company's history stays whole, and the contact person's own retention period does not change.",
        keepsCustomer: 'Correspondence with a current customer is kept while the relationship lasts. Calls, meetings and notes are not correspondence and are not touched.',
      },
      inactiveAccount: {
        description: 'A user account with no login for four years (or since it was created) is warned by e-mail. If there is still no login six months after the warning, the account is anonymised. A login cancels the warning.',
        keepsId: "The account's id is kept, so the log still shows who did what; the log itself does not change.",
        keepsAuthor: 'If the account wrote or signed in a journal, its name, profession and HPR number are kept: the journal must show who wrote it (Health Personnel Act § 40). E-mail, phone, national identity number and sign-in are removed all the same.',
        keepsRoles: 'The role history is kept as the record of who had which access.',
        keptDpo: 'data protection officer (revoke the role first if the person has left)',
        keptLastAdmin: 'the last active administrator of the organisation',
      },
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
