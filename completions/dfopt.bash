# bash completion for dfopt (installed as share/bash-completion/completions/dfopt).
# The pass names are listed here; tests/install.sh checks them against `dfopt --list-passes`
# and the options against `dfopt --help`. Rule IDs are asked of the dfopt being completed.

_dfopt_passes="maintainer env-form add-to-copy workdir-abs cd-workdir copy-chown hoist
copy-order merge-run pkg-hygiene late-metadata env-merge label-merge dup-config exec-form
keyword-case dead-stage multistage heredoc-form"

_dfopt_opts="-O0 -O1 -O2 --passes= --skip= --list-passes --explain -i --follow-symlinks -o
--diff --check --emit= --context --target --runtime-base --heredoc --dump-after= --stats --format=
--color= --version --help --"
_dfopt_lint_opts="--format= -o -O0 -O1 -O2 --level= --passes= --skip= --enable= --disable=
--fail-level= --config --no-config -j --jobs --color= --list-rules --explain --help"
_dfopt_gen_opts="-o --from-dockerfile --schema --color= --help"
_dfopt_graph_opts="--format= --target --help --"

# Completes cur against the words of $1; for a comma-separated value, only its last element.
_dfopt_list()
{
    local head=""
    if [[ $2 == *,* ]]; then
        head=${2%,*},
    fi
    local w
    COMPREPLY=()
    for w in $(compgen -W "$1" -- "${2##*,}"); do
        COMPREPLY+=("$head$w")
    done
}

# COMPREPLY from compgen's lines (file names may hold blanks).
_dfopt_reply()
{
    mapfile -t COMPREPLY < <(compgen "$@")
}

_dfopt_rules()
{
    "$1" lint --list-rules 2>/dev/null | awk 'NR > 1 { print $1; print $2 }'
}

_dfopt()
{
    local cur=${COMP_WORDS[COMP_CWORD]} prev=${COMP_WORDS[COMP_CWORD - 1]}
    local cmd="" opt="" i
    COMPREPLY=()
    if [[ $COMP_CWORD -gt 1 ]]; then
        case ${COMP_WORDS[1]} in lint | gen | graph) cmd=${COMP_WORDS[1]} ;; esac
    fi
    # an option's value: `--opt=value` (bash splits the word at =) or `--opt value`
    if [[ $cur == = ]]; then
        opt=$prev cur=""
    elif [[ $prev == = && $COMP_CWORD -ge 2 ]]; then
        opt=${COMP_WORDS[COMP_CWORD - 2]}
    else
        case $prev in
        --explain | --context | --target | --runtime-base | -o | --config | -j | --jobs)
            opt=$prev ;;
        esac
    fi
    case $cmd:$opt in
    :--passes | :--skip | :--dump-after | :--explain | lint:--passes | lint:--skip)
        _dfopt_list "$_dfopt_passes" "$cur"; return ;;
    lint:--enable | lint:--disable | lint:--explain)
        _dfopt_list "$(_dfopt_rules "${COMP_WORDS[0]}")" "$cur"; return ;;
    :--emit) _dfopt_reply -W "dockerfile dump json" -- "$cur"; return ;;
    :--format) _dfopt_reply -W "text json" -- "$cur"; return ;;
    lint:--format)
        _dfopt_reply -W "tty json sarif rdjson rdjsonl github checkstyle gitlab" \
            -- "$cur"; return ;;
    graph:--format) _dfopt_reply -W "dot mermaid" -- "$cur"; return ;;
    *:--color) _dfopt_reply -W "auto always never" -- "$cur"; return ;;
    lint:--fail-level)
        _dfopt_reply -W "error warning info style none" -- "$cur"; return ;;
    lint:--level) _dfopt_reply -W "0 1 2" -- "$cur"; return ;;
    :--context) compopt -o filenames 2>/dev/null; _dfopt_reply -d -- "$cur"; return ;;
    *:-o | lint:--config)
        compopt -o filenames 2>/dev/null; _dfopt_reply -f -- "$cur"; return ;;
    *:--target | :--runtime-base | lint:-j | lint:--jobs) return ;;
    esac
    # after `--` only files
    for ((i = 1; i < COMP_CWORD; i++)); do
        if [[ ${COMP_WORDS[i]} == -- ]]; then
            compopt -o filenames 2>/dev/null; _dfopt_reply -f -- "$cur"; return
        fi
    done
    if [[ $cur == -* ]]; then
        local opts=$_dfopt_opts
        case $cmd in
        lint) opts=$_dfopt_lint_opts ;;
        gen) opts=$_dfopt_gen_opts ;;
        graph) opts=$_dfopt_graph_opts ;;
        esac
        _dfopt_reply -W "$opts" -- "$cur"
        if [[ ${#COMPREPLY[@]} == 1 && ${COMPREPLY[0]} == *= ]]; then
            compopt -o nospace 2>/dev/null
        fi
        return
    fi
    if [[ $COMP_CWORD == 1 ]]; then
        _dfopt_reply -W "lint gen graph" -- "$cur"
    fi
    compopt -o filenames 2>/dev/null
    mapfile -t -O "${#COMPREPLY[@]}" COMPREPLY < <(compgen -f -- "$cur")
}
complete -F _dfopt dfopt
