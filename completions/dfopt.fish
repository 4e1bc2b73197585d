# fish completion for dfopt (installed as share/fish/vendor_completions.d/dfopt.fish).
# The pass names are listed here; tests/install.sh checks them against `dfopt --list-passes`
# and the options against `dfopt --help`. Rule IDs are asked of the dfopt being completed.

set -l dfopt_passes maintainer env-form add-to-copy workdir-abs cd-workdir copy-chown hoist \
    copy-order merge-run pkg-hygiene late-metadata env-merge label-merge dup-config exec-form \
    keyword-case dead-stage multistage heredoc-form

function __dfopt_no_subcommand
    set -l words (commandline -opc)
    not contains -- lint $words[2]; and not contains -- gen $words[2]; and not contains -- graph $words[2]
end

function __dfopt_subcommand
    set -l words (commandline -opc)
    test (count $words) -ge 2; and test "$words[2]" = $argv[1]
end

# Completes a comma-separated list: the words given, after what the token already holds.
function __dfopt_list
    set -l token (commandline -ct | string replace -r -- '^--[a-z-]+=' '')
    set -l head (string replace -r -- '[^,]*$' '' $token)
    for w in $argv
        echo $head$w
    end
end

function __dfopt_rules
    set -l bin (commandline -opc)[1]
    $bin lint --list-rules 2>/dev/null | awk 'NR > 1 { print $1 "\t" $2; print $2 "\t" $1 }'
end

complete -c dfopt -f

# dfopt [options] [FILE|-]...
set -l main __dfopt_no_subcommand
complete -c dfopt -n "$main" -F
complete -c dfopt -n "$main; and test (count (commandline -opc)) -eq 1" -a 'lint gen graph' -d command
complete -c dfopt -n "$main" -o O0 -d 'no passes: print the input unchanged'
complete -c dfopt -n "$main" -o O1 -d 'passes that keep contents and behaviour (default)'
complete -c dfopt -n "$main" -o O2 -d 'also passes that change layer contents or packages'
complete -c dfopt -n "$main" -l passes -x -a "(__dfopt_list $dfopt_passes)" -d 'run only these passes'
complete -c dfopt -n "$main" -l skip -x -a "(__dfopt_list $dfopt_passes)" -d 'do not run these passes'
complete -c dfopt -n "$main" -l list-passes -d 'print the pass table'
complete -c dfopt -n "$main" -l explain -x -a "$dfopt_passes" -d 'describe a pass'
complete -c dfopt -n "$main" -s i -d 'rewrite files in place'
complete -c dfopt -n "$main" -l follow-symlinks -d 'with -i, rewrite a symlink target'
complete -c dfopt -n "$main" -s o -r -F -d 'write the result to FILE'
complete -c dfopt -n "$main" -l diff -d 'print a unified diff'
complete -c dfopt -n "$main" -l check -d 'print nothing; exit 1 when a file would change'
complete -c dfopt -n "$main" -l emit -x -a 'dockerfile dump json' -d 'what to print'
complete -c dfopt -n "$main" -l context -x -a '(__fish_complete_directories)' -d 'build context'
complete -c dfopt -n "$main" -l target -x -d 'the stage the build produces'
complete -c dfopt -n "$main" -l runtime-base -x -d 'image for the runtime stage (multistage)'
complete -c dfopt -n "$main" -l heredoc -d 'write merged RUNs as heredocs'
complete -c dfopt -n "$main" -l dump-after -x -a "$dfopt_passes" -d 'print the IR after PASS'
complete -c dfopt -n "$main" -l stats -d 'report figures before and after, passes fired'
complete -c dfopt -n "$main" -l format -x -a 'text json' -d 'format of the --stats report'
complete -c dfopt -n "$main" -l color -x -a 'auto always never' -d 'colour diagnostics'
complete -c dfopt -n "$main" -l version -d 'print the version'
complete -c dfopt -n "$main" -s h -l help -d 'print the options'

# dfopt lint [options] FILE...
set -l lint '__dfopt_subcommand lint'
complete -c dfopt -n "$lint" -F
complete -c dfopt -n "$lint" -l format -x -a 'tty json sarif rdjson rdjsonl github checkstyle gitlab' -d 'report format'
complete -c dfopt -n "$lint" -s o -r -F -d 'write the report to FILE'
complete -c dfopt -n "$lint" -o O0 -d 'no pass reports'
complete -c dfopt -n "$lint" -o O1 -d 'the -O1 passes report (default)'
complete -c dfopt -n "$lint" -o O2 -d 'the -O2 passes report'
complete -c dfopt -n "$lint" -l level -x -a '0 1 2' -d 'passes whose changes are findings'
complete -c dfopt -n "$lint" -l passes -x -a "(__dfopt_list $dfopt_passes)" -d 'only these passes report'
complete -c dfopt -n "$lint" -l skip -x -a "(__dfopt_list $dfopt_passes)" -d 'these passes do not report'
complete -c dfopt -n "$lint" -l enable -x -a '(__dfopt_list (__dfopt_rules))' -d 'turn rules on'
complete -c dfopt -n "$lint" -l disable -x -a '(__dfopt_list (__dfopt_rules))' -d 'turn rules off'
complete -c dfopt -n "$lint" -l fail-level -x -a 'error warning info style none' -d 'exit 1 at or above'
complete -c dfopt -n "$lint" -l config -r -F -d 'configuration file instead of .dfopt.yaml'
complete -c dfopt -n "$lint" -l no-config -d 'use no configuration file'
complete -c dfopt -n "$lint" -s j -l jobs -x -d 'lint N files at a time'
complete -c dfopt -n "$lint" -l color -x -a 'auto always never' -d 'colour the report'
complete -c dfopt -n "$lint" -l list-rules -d 'print the rule table'
complete -c dfopt -n "$lint" -l explain -x -a '(__dfopt_rules)' -d 'describe a rule'
complete -c dfopt -n "$lint" -l help -d 'print the options'

# dfopt gen [-o FILE] SPEC | --from-dockerfile DOCKERFILE | --schema
set -l gen '__dfopt_subcommand gen'
complete -c dfopt -n "$gen" -F
complete -c dfopt -n "$gen" -s o -r -F -d 'write to FILE'
complete -c dfopt -n "$gen" -l from-dockerfile -d 'read a Dockerfile, write the spec'
complete -c dfopt -n "$gen" -l schema -d 'print the spec JSON Schema'
complete -c dfopt -n "$gen" -l color -x -a 'auto always never' -d 'colour diagnostics'
complete -c dfopt -n "$gen" -l help -d 'print the options'

# dfopt graph [--format=dot|mermaid] [--target NAME] [FILE|-]
set -l graph '__dfopt_subcommand graph'
complete -c dfopt -n "$graph" -F
complete -c dfopt -n "$graph" -l format -x -a 'dot mermaid' -d 'graph format'
complete -c dfopt -n "$graph" -l target -x -d 'the stage the build produces'
complete -c dfopt -n "$graph" -l help -d 'print the options'
