#!/usr/bin/env bash
# Lays the wider corpus (ddl/tests/wider/MANIFEST.tsv) beside its manifest, each file from its
# source repository at the pinned commit. The files are other projects' and are not committed.
# Sources are git directories under $TABLEWRIGHT_WIDER_MIRRORS/<owner>+<name>/repo when set,
# else bare partial clones of GitHub in ~/.cache/tablewright/wider-src.
set -euo pipefail
cd "$(dirname "$0")/.."
corpus=ddl/tests/wider
cache=${HOME}/.cache/tablewright/wider-src

source_dir() { # owner/name commit -> a git dir holding the commit
  local repo=$1 commit=$2 dir
  if [[ -n ${TABLEWRIGHT_WIDER_MIRRORS:-} ]]; then
    dir=$TABLEWRIGHT_WIDER_MIRRORS/${repo/\//+}/repo
  else
    dir=$cache/${repo/\//+}.git
    [[ -d $dir ]] || git clone -q --bare --filter=blob:none "https://github.com/$repo.git" "$dir"
    git -C "$dir" cat-file -e "$commit^{commit}" 2>/dev/null || git -C "$dir" fetch -q origin "$commit"
  fi
  echo "$dir"
}

tail -n +2 "$corpus/MANIFEST.tsv" | while IFS=$'\t' read -r file _ repo commit path _; do
  git_dir=$(source_dir "$repo" "$commit")
  mkdir -p "$corpus/$(dirname "$file")"
  if [[ $path == *'*'* ]]; then
    # A project of one file per table: concatenated in path order, a GO after each, BOM and CR
    # removed.
    pattern="^$(sed 's/\./\\./g; s/\*/[^\/]*/g' <<<"$path")\$"
    git -C "$git_dir" ls-tree -r --name-only "$commit" | grep -E "$pattern" | sort |
      while read -r p; do
        git -C "$git_dir" show "$commit:$p" | sed '1s/^\xEF\xBB\xBF//' | tr -d '\r'
        printf '\nGO\n'
      done >"$corpus/$file"
  else
    git -C "$git_dir" show "$commit:$path" >"$corpus/$file"
  fi
  echo "laid $file"
done
