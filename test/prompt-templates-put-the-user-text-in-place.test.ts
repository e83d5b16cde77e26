import { describe, expect, it } from 'vitest';
import { applyPromptTemplate } from '../src/pipeline/prompt-template.ts';
import type { PromptLayout } from '../src/pipeline/prompt-layout.ts';

const SHOW_O: PromptLayout = {
  t2iPromptLength: 129, mmuQuestion: 'Please describe this image in detail.',
  templates: { textToImage: '{prompt}', describe: 'USER: \n{question} ASSISTANT:', edit: '{instruction}' },
};

describe('prompt templates (config.json prompts.templates)', () => {
  it('puts the user\'s text where the task\'s placeholder is', () => {
    expect(applyPromptTemplate(SHOW_O, 'describe', 'what is this?')).toBe('USER: \nwhat is this? ASSISTANT:');
    expect(applyPromptTemplate(SHOW_O, 'textToImage', 'a cat')).toBe('a cat');
  });

  it('keeps the user\'s text literal, replacement patterns included', () => {
    expect(applyPromptTemplate(SHOW_O, 'describe', 'cost $& or $1 {question}')).toBe('USER: \ncost $& or $1 {question} ASSISTANT:');
  });

  it('a layout without templates takes the text as it is', () => {
    expect(applyPromptTemplate({ t2iPromptLength: 12, mmuQuestion: 'what is this ?' }, 'describe', 'what is this ?')).toBe('what is this ?');
  });
});
