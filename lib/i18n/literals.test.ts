/**
 * No English a person can see is written into a component: every piece of JSX text, every visible
 * attribute (title, placeholder, aria-label, alt, label) and every toast's message comes from the
 * catalogues (`t('…')`). A new literal fails here with its file and line. Symbols and wire
 * identifiers (no letters of a sentence) and the product's name are allowed.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const root = path.resolve(import.meta.dirname, '../..');
const visibleAttributes = new Set(['title', 'placeholder', 'aria-label', 'alt', 'label', 'aria-description']);
/** Said the same in every language. */
const allowed = new Set(['Token Desk']);

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) return sourceFiles(full);
    return /\.tsx$/.test(name) && !/\.test\.tsx$/.test(name) && name !== 'testing.tsx' ? [full] : [];
  });
}

/** Text a person would read: at least two letters in a row (not "·", "→", "—", "%" or a number). */
const wordy = (text: string) => /\p{L}{2,}/u.test(text) && !allowed.has(text.trim());

function literalsIn(file: string, text = readFileSync(file, 'utf8')): string[] {
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true, ts.ScriptKind.TSX);
  const found: string[] = [];
  const where = (node: ts.Node, text: string) => {
    const { line } = source.getLineAndCharacterOfPosition(node.getStart());
    found.push(`${path.relative(root, file)}:${line + 1} ${JSON.stringify(text.trim().slice(0, 60))}`);
  };
  const visit = (node: ts.Node) => {
    if (ts.isJsxText(node) && wordy(node.text)) where(node, node.text);
    if (ts.isJsxAttribute(node) && visibleAttributes.has(node.name.getText(source)) && node.initializer) {
      const value = node.initializer;
      const text = ts.isStringLiteral(value)
        ? value.text
        : ts.isJsxExpression(value) && value.expression && ts.isStringLiteralLike(value.expression)
          ? value.expression.text
          : undefined;
      if (text !== undefined && wordy(text)) where(node, text);
    }
    // Strings shown as a child of an element: `{local ? 'Saved.' : null}` (a call's arguments, such as
    // t('…') keys and class names, are not text).
    if (
      ts.isJsxExpression(node) &&
      node.expression &&
      (ts.isJsxElement(node.parent) || ts.isJsxFragment(node.parent))
    ) {
      const shown = (inner: ts.Node): void => {
        // Calls (t('…') keys, class names) are not text; nested elements are visited on their own.
        if (
          ts.isCallExpression(inner) ||
          ts.isTaggedTemplateExpression(inner) ||
          ts.isJsxElement(inner) ||
          ts.isJsxSelfClosingElement(inner) ||
          ts.isJsxFragment(inner) ||
          ts.isElementAccessExpression(inner)
        )
          return;
        if (ts.isBinaryExpression(inner) && inner.operatorToken.kind !== ts.SyntaxKind.AmpersandAmpersandToken) {
          if (
            inner.operatorToken.kind !== ts.SyntaxKind.BarBarToken &&
            inner.operatorToken.kind !== ts.SyntaxKind.QuestionQuestionToken
          )
            return;
        }
        if (ts.isConditionalExpression(inner)) {
          shown(inner.whenTrue);
          shown(inner.whenFalse);
          return;
        }
        if (
          (ts.isStringLiteralLike(inner) ||
            ts.isTemplateHead(inner) ||
            ts.isTemplateMiddle(inner) ||
            ts.isTemplateTail(inner)) &&
          /\p{L}{2,}\s+\p{L}/u.test(inner.text)
        ) {
          where(inner, inner.text);
          return;
        }
        ts.forEachChild(inner, shown);
      };
      shown(node.expression);
    }
    if (
      ts.isCallExpression(node) &&
      ts.isPropertyAccessExpression(node.expression) &&
      node.expression.expression.getText(source) === 'toast'
    ) {
      const [first] = node.arguments;
      if (first && ts.isStringLiteralLike(first) && wordy(first.text)) where(node, first.text);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

describe('the pages', () => {
  it('write no English a person can see outside the catalogues', () => {
    const files = ['app', 'components'].flatMap((dir) => sourceFiles(path.join(root, dir)));
    expect(files.length).toBeGreaterThan(40);
    expect(files.flatMap((file) => literalsIn(file))).toEqual([]);
  });

  it('notices text, visible attributes, shown strings and toasts, and lets keys and class names be', () => {
    const fake = path.join(root, 'components/fake.tsx');
    const found = literalsIn(
      fake,
      [
        'export const A = ({ done }: { done: boolean }) => (',
        '  <button className="text-sm font-medium" title="Close it" aria-label={t(\'common.close\')}>',
        "    Save changes {done ? 'All saved now.' : t('common.cancel')} · Token Desk",
        '  </button>',
        ');',
        "toast.success('Token revoked');",
      ].join('\n'),
    );
    expect(found).toEqual([
      'components/fake.tsx:2 "Close it"',
      'components/fake.tsx:3 "Save changes"',
      'components/fake.tsx:3 "All saved now."',
      'components/fake.tsx:3 "· Token Desk"',
      'components/fake.tsx:6 "Token revoked"',
    ]);
  });
});
