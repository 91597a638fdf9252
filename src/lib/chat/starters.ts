/**
 * The starting points shown on an empty conversation. R1 distills take no system prompt, so each
 * prompt carries its own instructions in the user turn: the task, what to cover, the output format
 * and the language to answer in (for zh-HK, Traditional Chinese as written in Hong Kong). The card
 * titles live in the message table; these prompts are model-facing and kept here.
 */
import type { Locale, MessageKey } from '../i18n/messages';
import type { Conversation } from '../storage/history';

/** A subject whose answers carry a "general information, not advice" note. */
export type Topic = NonNullable<Conversation['topic']>;

export interface Starter {
  id: string;
  title: MessageKey;
  hint: MessageKey;
  /** `send`: one tap sends the prompt. `fill`: it goes into the composer for the user to complete. */
  action: 'send' | 'fill';
  /** A small label on the card, e.g. for a seasonal starting point. */
  badge?: MessageKey;
  topic?: Topic;
  prompt: Record<Locale, string>;
}

const ANSWER_EN = 'Write the answer in English.';
const ANSWER_ZH = '請用香港繁體中文回答，可以用廣東話口語。';

export const starters: readonly Starter[] = [
  {
    id: 'day-out',
    title: 'starter.dayOut',
    hint: 'starter.dayOutHint',
    action: 'send',
    prompt: {
      en: `Plan a one-day outing in Hong Kong for me.

Include:
- A timetable from about 9:00 to 21:00 with 5 to 7 stops that are close to each other.
- For each stop: what to do, roughly how long to stay, and how to get to the next stop by MTR, bus, tram, ferry or on foot, with the approximate travel time.
- Where to have breakfast, lunch and dinner, with one local dish to try at each.
- A rough total budget per person in HKD.
- One indoor alternative in case of heavy rain or a typhoon signal.

Assume I like a mix of city sights, local food and a little nature; state any other assumption in one line at the top.
Format: a Markdown table for the timetable, then short bullet points. Keep it under 400 words.
${ANSWER_EN}`,
      'zh-HK': `幫我計劃喺香港玩一日嘅行程。

請包括：
- 由大約朝早 9 點到夜晚 9 點嘅時間表，5 至 7 個順路嘅地點。
- 每個地點：去做乜、大概逗留幾耐、點樣搭港鐵、巴士、電車、渡輪或者行路去下一站，同埋大約要幾耐。
- 早餐、午餐、晚餐去邊度食，每餐推介一樣地道嘢食。
- 每人大約總預算（港幣）。
- 如果落大雨或者掛風球，有一個室內後備方案。

假設我鍾意城市景點、地道美食同少少大自然；其他假設請喺開頭用一句講明。
格式：時間表用 Markdown 表格，之後用簡短要點。400 字以內。
${ANSWER_ZH}`,
    },
  },
  {
    id: 'minutes',
    title: 'starter.minutes',
    hint: 'starter.minutesHint',
    action: 'fill',
    prompt: {
      en: `Turn my meeting notes below into clear meeting minutes.

Format (Markdown):
1. Title: the meeting's subject, with the date and place if the notes give them.
2. Attendees.
3. Summary: three to five sentences.
4. Decisions: a bullet list.
5. Action items: a table with the columns Owner, Task and Due date.
6. Open questions.

Use only what the notes say: do not invent names, dates or numbers, and write "not stated" where something is missing. Write the minutes in English.

My notes:
`,
      'zh-HK': `將我以下嘅會議筆記整理成清晰嘅會議紀錄。

格式（Markdown）：
1. 標題：會議主題；筆記有提及嘅話，加埋日期同地點。
2. 出席者。
3. 摘要：三至五句。
4. 決定事項：列點。
5. 跟進事項：表格，欄位係「負責人」、「工作」、「限期」。
6. 未解決嘅問題。

只可以用筆記入面有嘅資料：唔好自己作名、日期或者數字；冇提及嘅就寫「未有註明」。會議紀錄請用香港繁體中文書面語寫。

我嘅筆記：
`,
    },
  },
  {
    id: 'health',
    title: 'starter.health',
    hint: 'starter.healthHint',
    action: 'send',
    topic: 'health',
    prompt: {
      en: `Explain how to tell a common cold from influenza (the flu).

Cover:
- The typical symptoms of each and how they differ (how fast it starts, fever, body aches, tiredness).
- Simple self-care at home.
- Warning signs that mean someone should see a doctor soon or go to the emergency department, with special attention to young children, older people and pregnant women.
- How to lower the chance of catching or spreading either, including vaccination.

Use plain language for someone without medical training. Do not diagnose me: this is general information.
Format: short sections with headings and bullet points, under 350 words.
${ANSWER_EN}`,
      'zh-HK': `解釋點樣分辨傷風（普通感冒）同流感。

請包括：
- 兩者常見嘅病徵同分別（發病快慢、發燒、肌肉痛、疲倦）。
- 喺屋企可以點樣自我護理。
- 有咩警號代表要盡快睇醫生或者去急症室，特別留意幼童、長者同孕婦。
- 點樣減低感染或者傳播嘅機會，包括打疫苗。

用冇醫學背景嘅人都明嘅淺白用語。唔好幫我診斷：呢啲係一般資訊。
格式：分段加小標題同列點，350 字以內。
${ANSWER_ZH}`,
    },
  },
  {
    id: 'law',
    title: 'starter.law',
    hint: 'starter.lawHint',
    action: 'send',
    topic: 'law',
    prompt: {
      en: `Explain what the Small Claims Tribunal in Hong Kong is and how it works.

Cover:
- What kinds of disputes it hears, and the upper limit on the amount that can be claimed (say that this limit can change and should be checked).
- Who can bring a claim, and whether lawyers may represent the parties.
- The main steps, from filing a claim to the hearing and what happens after a judgment.
- Two everyday examples of cases it could hear.

Use plain language for someone with no legal training. This is general information, not advice on a case of mine.
Format: short sections with headings and bullet points, under 350 words.
${ANSWER_EN}`,
      'zh-HK': `解釋香港嘅小額錢債審裁處係咩，同埋點樣運作。

請包括：
- 處理邊類糾紛，同埋申索金額嘅上限（請講明上限可能會改，要再查證）。
- 邊個可以入稟，雙方可唔可以請律師代表。
- 由入稟到聆訊、到判決之後嘅主要步驟。
- 兩個佢可以處理嘅日常例子。

用冇法律背景嘅人都明嘅淺白用語。呢啲係一般資訊，唔係針對我個案嘅意見。
格式：分段加小標題同列點，350 字以內。
${ANSWER_ZH}`,
    },
  },
  {
    id: 'transport',
    title: 'starter.transport',
    hint: 'starter.transportHint',
    action: 'send',
    prompt: {
      en: `I have just landed at Hong Kong International Airport and want to get to Central by public transport.

Compare the main options (for example the Airport Express, airport buses, and combinations with the MTR) by:
- approximate travel time,
- approximate fare in HKD (say that fares change),
- how easy it is with luggage.

Then give step-by-step directions for the option you recommend, including how to pay (Octopus card, contactless bank card or ticket).
Format: a Markdown table for the comparison, then numbered steps. Keep it under 300 words.
${ANSWER_EN}`,
      'zh-HK': `我啱啱喺香港國際機場落機，想搭公共交通去中環。

請比較主要嘅選擇（例如機場快綫、機場巴士、轉乘港鐵），包括：
- 大約車程時間，
- 大約車費（港幣，請講明車費會變），
- 帶住行李方唔方便。

然後為你推介嘅選擇寫出逐步路線，包括點樣畀錢（八達通、感應式銀行卡或者車票）。
格式：比較用 Markdown 表格，之後用編號步驟。300 字以內。
${ANSWER_ZH}`,
    },
  },
  {
    id: 'translate',
    title: 'starter.translate',
    hint: 'starter.translateHint',
    action: 'send',
    prompt: {
      en: `Translate the sentence below into three versions: spoken Cantonese written in Traditional Chinese characters, standard written Chinese as a Mandarin speaker would write it (Traditional characters), and English.

Sentence: "Sorry, the MTR is delayed, so I'll be about ten minutes late. Please go ahead and start without me."

Format: a Markdown table with one row per version. Then, in up to three bullet points, explain the words that differ most between the Cantonese and the Mandarin versions. Finally, ask me for the next sentence to translate.
Write the explanations in English.`,
      'zh-HK': `將下面呢句翻譯成三個版本：廣東話口語（繁體字）、普通話書面語（繁體字）同英文。

句子：「唔好意思，港鐵延誤，我會遲大約十分鐘到，你哋唔使等我，可以先開始。」

格式：Markdown 表格，每個版本一行。之後用最多三點，解釋廣東話同普通話版本之間最唔同嘅用字。最後問我下一句要翻譯咩。
解釋部分請用香港繁體中文。`,
    },
  },
  {
    // Hong Kong people draw a fortune stick (求籤) at a temple at New Year and have it read (解籤).
    // The verse is the user's to give: a small model would make one up.
    id: 'fortune',
    title: 'starter.fortune',
    hint: 'starter.fortuneHint',
    badge: 'starter.seasonal',
    action: 'fill',
    prompt: {
      en: `Help me read a fortune stick (kau cim) I drew at a temple, as Hong Kong people do at Chinese New Year, for example at Wong Tai Sin. This is just for fun.

Cover:
- What the verse says, line by line, in plain words, and the story or historical figure it refers to if you know it (if you are not sure, say so; do not make one up).
- What it suggests about what I asked, with one or two practical, positive things I could do.
- What the stick's rank (for example upper, middle or lower) usually means.

Format: a short heading, the line-by-line reading as a numbered list, then a few bullet points about my question; under 300 words. End with one line reminding me that this is a tradition to enjoy, not a prediction.
Write the answer in English.

My stick's number and rank:
The verse, as written on the slip:
What I asked about:
`,
      'zh-HK': `幫我解籤：我喺廟（例如新年去黃大仙）求咗支籤，想知道籤文點解。純粹當娛樂。

請包括：
- 逐句用淺白嘅說話解釋籤文；如果知道佢講嘅典故或者歷史人物，簡單講一講（唔肯定就講明，唔好自己作）。
- 對我問嘅事有乜啟示，再畀一兩個實際、正面嘅建議。
- 呢支籤嘅等級（例如上籤、中籤、下籤）一般代表乜。

格式：一個簡短標題，逐句解釋用編號列點，之後用幾點講我問嘅事；300 字以內。最後用一句提醒我求籤係傳統習俗，當娛樂就好，唔係預測。
${ANSWER_ZH}

我支籤嘅號碼同等級：
籤文（照抄）：
我問嘅事：
`,
    },
  },
];

/** The prompt's first line: the conversation's title when a starting point opens it. */
export function starterTitle(starter: Starter, locale: Locale): string {
  return starter.prompt[locale].split('\n', 1)[0].trim();
}
