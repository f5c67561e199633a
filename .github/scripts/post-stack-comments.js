// Posts each stack's plan comment on a pull request, or edits the one posted before: the
// comment of this workflow's token (github-actions[bot]) whose first line is the stack's
// hidden marker (delivery/pr_comment.py). Every page of comments is read, so a busy pull
// request never gets a second one. The comments were built by delivery/pr_comment.py; this
// refuses any without a marker or over GitHub's size limit all the same.
//
// Called from actions/github-script v8.0.0, whose script gets `github` (an Octokit:
// github.rest.*, github.paginate), `context` and `core`; its `require` resolves paths from
// the workspace (its README at that tag).
const fs = require('fs');
const path = require('path');

// GitHub refuses a longer body ("body is too long (maximum is 65536 characters)").
const LIMIT = 65536;
const AUTHOR = 'github-actions[bot]';
const MARKER = /^<!-- centaurops:preview:[a-z0-9][a-z0-9-]* -->\n/;

module.exports = async ({ github, context, core }, { issueNumber, dir }) => {
  const files = fs.readdirSync(dir).filter((name) => name.endsWith('.md')).sort();
  if (files.length === 0) {
    throw new Error(`no comment to post in ${dir}`);
  }
  const bodies = files.map((name) => {
    const body = fs.readFileSync(path.join(dir, name), 'utf8');
    const marker = MARKER.exec(body);
    if (!marker) {
      throw new Error(`${name}: does not start with a stack's marker`);
    }
    if (body.length > LIMIT) {
      throw new Error(`${name}: ${body.length} characters, over GitHub's ${LIMIT}`);
    }
    return { name, marker: marker[0], body };
  });
  const existing = await github.paginate(github.rest.issues.listComments, {
    ...context.repo,
    issue_number: issueNumber,
    per_page: 100,
  });
  for (const { name, marker, body } of bodies) {
    const mine = existing.find((comment) => comment.user?.login === AUTHOR && comment.body?.startsWith(marker));
    if (mine) {
      await github.rest.issues.updateComment({ ...context.repo, comment_id: mine.id, body });
      core.info(`${name}: edited comment ${mine.id} on #${issueNumber}`);
    } else {
      await github.rest.issues.createComment({ ...context.repo, issue_number: issueNumber, body });
      core.info(`${name}: commented on #${issueNumber}`);
    }
  }
};
