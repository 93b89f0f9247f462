/** A realistic support conversation the fixtures are built from. */
export interface ConversationScript {
  channel: string;
  topic: string;
  lines: { role: 'customer' | 'agent' | 'bot'; content: string }[];
  summary: string;
  keyPoints: { text: string; category: string }[];
  sentiment: 'positive' | 'neutral' | 'negative' | 'mixed';
  score: number;
  resolved: boolean;
}

export const CUSTOMERS = [
  { name: 'Maria Souza', email: 'maria.souza@example.com' },
  { name: 'James Okafor', email: 'james.okafor@example.com' },
  { name: 'Aiko Tanaka', email: 'aiko.tanaka@example.com' },
  { name: 'Lena Fischer', email: 'lena.fischer@example.com' },
  { name: 'Omar Haddad', email: 'omar.haddad@example.com' },
] as const;

export const AGENTS = [
  { id: 'agent_rosa', name: 'Rosa (Support)' },
  { id: 'agent_tom', name: 'Tom (Billing)' },
] as const;

export const SCRIPTS: readonly ConversationScript[] = [
  {
    channel: 'web',
    topic: 'Refund request',
    lines: [
      { role: 'bot', content: 'Hi! I am the Caleida assistant. How can I help today?' },
      { role: 'customer', content: 'I was charged twice for my March invoice and I would like a refund.' },
      {
        role: 'agent',
        content: 'Sorry about that! I can see two charges of $49.00 on March 3rd. Let me fix it.',
      },
      {
        role: 'agent',
        content: 'Done: the duplicate charge is refunded and should reach your card in 3 to 5 days.',
      },
      { role: 'customer', content: 'Great, thank you for the quick help!' },
    ],
    summary:
      'The customer was charged twice for the March invoice. The agent confirmed the duplicate $49.00 charge and refunded it; the customer was satisfied.',
    keyPoints: [
      { text: 'Duplicate charge of $49.00 on March 3rd', category: 'billing' },
      { text: 'Refund issued, 3 to 5 business days', category: 'resolution' },
    ],
    sentiment: 'positive',
    score: 0.72,
    resolved: true,
  },
  {
    channel: 'whatsapp',
    topic: 'Delivery delay',
    lines: [
      {
        role: 'customer',
        content: 'My order #48213 was supposed to arrive yesterday and it is still not here.',
      },
      {
        role: 'agent',
        content: 'Let me check with the carrier. It looks like it is held at the local depot.',
      },
      { role: 'customer', content: 'This is the second time this happens. I need it for the weekend.' },
      {
        role: 'agent',
        content: 'I have asked for priority delivery tomorrow morning and refunded the shipping fee.',
      },
    ],
    summary:
      'Order #48213 was delayed at the local depot. The customer was frustrated by a repeated delay; the agent arranged priority delivery and refunded shipping.',
    keyPoints: [
      { text: 'Order #48213 held at the local depot', category: 'logistics' },
      { text: 'Repeated delay for this customer', category: 'churn-risk' },
      { text: 'Priority delivery booked, shipping refunded', category: 'resolution' },
    ],
    sentiment: 'mixed',
    score: -0.15,
    resolved: true,
  },
  {
    channel: 'email',
    topic: 'Login problem',
    lines: [
      { role: 'customer', content: 'I cannot log in since this morning: the app says my password is wrong.' },
      { role: 'bot', content: 'You can reset your password from the sign-in page with "Forgot password".' },
      {
        role: 'customer',
        content: 'I tried that three times and never got the email. This is really annoying.',
      },
      {
        role: 'agent',
        content:
          'Your emails were bouncing because of a typo in the address. I corrected it; please try again.',
      },
    ],
    summary:
      'The customer could not log in and never received password reset emails because of a typo in the email address on file. The agent corrected it.',
    keyPoints: [
      { text: 'Password reset emails bounced', category: 'account' },
      { text: 'Email address on file had a typo', category: 'root-cause' },
    ],
    sentiment: 'negative',
    score: -0.48,
    resolved: false,
  },
];
