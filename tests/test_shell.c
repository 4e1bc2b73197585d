/* test_shell.c: the RUN script model. */
#include "testutil.h"
#include "shell.h"

static df_arena arena;

static sh_script parse(const char *s)
{
    sh_script sc;
    sh_parse(&arena, slice_from(s), &sc);
    return sc;
}

/* parse, asserting that the script reads and has ncmds commands. */
static sh_script parse_cmds(const char *s, size_t ncmds)
{
    sh_script sc = parse(s);
    assert_true(sc.ok);
    assert_int_equal(sc.ncmds, ncmds);
    return sc;
}

static void test_and_chain(void **state)
{
    (void)state;
    sh_script sc = parse_cmds("apt-get update &&   apt-get install -y curl; echo done", 3);
    assert_int_equal(sc.cmds[0].op, SH_AND);
    assert_int_equal(sc.cmds[1].op, SH_SEQ);
    assert_int_equal(sc.cmds[2].op, SH_END);
    assert_int_equal(sc.cmds[1].nwords, 4);
    assert_slice(sc.cmds[1].words[3].value, "curl");
    assert_int_equal(sc.cmds[1].words[3].off, 39);
    assert_false(sc.compound || sc.comment || sc.background);
}

static void test_quotes_and_expansions(void **state)
{
    (void)state;
    sh_script sc = parse_cmds("echo 'a b' \"c $HOME\" d\\ e $(ls \"x)\" | wc -l) `pwd`", 1);
    assert_int_equal(sc.cmds[0].nwords, 6);
    assert_slice(sc.cmds[0].words[1].value, "a b");
    assert_true(sc.cmds[0].words[1].literal);
    assert_false(sc.cmds[0].words[2].literal);
    assert_slice(sc.cmds[0].words[3].value, "d e");
    assert_false(sc.cmds[0].words[4].literal);
    assert_false(sc.cmds[0].words[5].literal);
}

/* A script that ends in a backslash (a file whose escape is the backtick, where `\` does not
 * continue the line): the command and its last word end with the script, and the word is not
 * taken at its face value. */
static void test_trailing_backslash(void **state)
{
    (void)state;
    sh_script sc = parse_cmds("apt-get update \\", 1);
    assert_int_equal(sc.cmds[0].nwords, 3);
    assert_int_equal(sc.cmds[0].end, 16);
    assert_false(sc.cmds[0].words[2].literal);
    sc = parse("echo a\\");
    assert_true(sc.ok);
    assert_int_equal(sc.cmds[0].end, 7);
    assert_false(sc.cmds[0].words[1].literal);
}

static void test_unbalanced(void **state)
{
    (void)state;
    assert_false(parse("echo 'oops").ok);
    assert_false(parse("echo \"oops").ok);
    assert_false(parse("echo $(oops").ok);
    assert_false(parse("if true; then echo").ok);
}

static void test_comment_background_trailing(void **state)
{
    (void)state;
    assert_true(parse("echo a # note && echo b").comment);
    assert_int_equal(parse("echo a # note && echo b").ncmds, 1);
    assert_false(parse("echo a#b").comment);
    assert_true(parse("sleep 1 & echo b").background);
    assert_true(parse("echo a &&").trailing_op);
    assert_true(parse("echo a |").trailing_op);
    assert_false(parse("echo a").trailing_op);
}

static void test_compound(void **state)
{
    (void)state;
    sh_script sc = parse("if [ -f x ]; then rm x; fi && echo ok");
    assert_true(sc.ok);
    assert_true(sc.compound);
    assert_int_equal(sc.ncmds, 3);
    assert_int_equal(sc.cmds[0].depth, 1);
    assert_int_equal(sc.cmds[1].depth, 1);
    assert_int_equal(sc.cmds[2].depth, 0);
    sc = parse_cmds("for f in a b; do echo $f; done", 1);
    assert_slice(sc.cmds[0].words[0].value, "echo");
    sc = parse_cmds("case $x in a) echo a;; *) echo b;; esac; echo c", 1);
    assert_slice(sc.cmds[0].words[1].value, "c");
    sc = parse("(cd /x && make)");
    assert_true(sc.ok && sc.compound);
    assert_int_equal(sc.cmds[0].depth, 1);
}

static void test_redirections_and_assignments(void **state)
{
    (void)state;
    sh_script sc = parse_cmds("FOO=1 BAR=2 make -j4 >/dev/null 2>&1 </dev/null", 1);
    assert_int_equal(sc.cmds[0].nassign, 2);
    assert_int_equal(sc.cmds[0].nwords, 4);
    assert_int_equal(sc.cmds[0].nredirs, 3);
    assert_true(parse("cat <<EOF").heredoc);
}

static void test_program_and_state(void **state)
{
    (void)state;
    sh_script sc = parse("sudo -u root env DEBIAN_FRONTEND=noninteractive apt-get install x");
    assert_int_equal(sh_program(&sc.cmds[0]), 5);
    sc = parse("cd /src");
    assert_true(sh_changes_state(&sc.cmds[0]));
    sc = parse("X=1");
    assert_true(sh_changes_state(&sc.cmds[0]));
    sc = parse("X=1 make");
    assert_false(sh_changes_state(&sc.cmds[0]));
    sc = parse("export PATH=/x");
    assert_true(sh_changes_state(&sc.cmds[0]));
    sc = parse("$CMD x");
    assert_true(sh_changes_state(&sc.cmds[0]));
    sc = parse("apt-get install -y curl");
    assert_false(sh_changes_state(&sc.cmds[0]));
}

static void test_funcdef_loopvar_redirect_first(void **state)
{
    (void)state;
    sh_script sc = parse("f() { echo hi; }; f");
    assert_true(sc.ok);
    assert_true(sc.funcdef);
    sc = parse("for f in a b; do echo $f; done");
    assert_true(sc.loopvar);
    sc = parse("case $x in a) echo a;; esac");
    assert_false(sc.loopvar);
    assert_false(parse("echo for").loopvar);
    /* a command that starts with a redirection starts where the redirection does */
    sc = parse_cmds("cd /x && >out echo a", 2);
    assert_int_equal(sc.cmds[1].off, 9);
    assert_int_equal(sc.cmds[1].nredirs, 1);
    assert_slice(sc.cmds[1].words[0].value, "echo");
    sc = parse("true; 2>/dev/null ls");
    assert_int_equal(sc.cmds[1].off, 6);
}

static void test_state_special_cases(void **state)
{
    (void)state;
    sh_script sc = parse("X=1 :");
    assert_true(sh_changes_state(&sc.cmds[0]));
    sc = parse(": nothing");
    assert_false(sh_changes_state(&sc.cmds[0]));
    sc = parse("function f { echo; }");
    assert_true(sh_changes_state(&sc.cmds[0]));
    sc = parse("let x=1");
    assert_true(sh_changes_state(&sc.cmds[0]));
}

/* a state builtin behind what runs it in the same shell (or might) still changes the state */
static void test_chdir_and_bash_assignments(void **state)
{
    (void)state;
    const char *changing[] = {"chdir /tmp", "X+=1", "X[0]=1", "X[0]+=1", "command chdir /x"};
    for (size_t i = 0; i < sizeof changing / sizeof *changing; i++) {
        sh_script sc = parse(changing[i]);
        assert_true(sc.ok);
        assert_true(sh_changes_state(&sc.cmds[0]));
    }
    sh_script sc = parse("X+=1 make");
    assert_int_equal(sc.cmds[0].nassign, 1);
    assert_false(sh_changes_state(&sc.cmds[0]));
    sc = parse("echo a+=1");
    assert_int_equal(sc.cmds[0].nassign, 0);
}

static void test_state_behind_wrappers(void **state)
{
    (void)state;
    static const char *const changing[] = {
        "command -p cd /tmp", "command cd /tmp", "builtin cd /tmp", "builtin -- cd /tmp",
        "time cd /tmp", "time -p cd /tmp", "time -p command -p export A=1", "nohup cd /tmp",
        "nice -n 5 cd /tmp", "command -- umask 077", "exec >/dev/null", "X=1 builtin set -e",
    };
    for (size_t k = 0; k < sizeof changing / sizeof *changing; k++) {
        sh_script sc = parse(changing[k]);
        assert_true(sc.ok);
        if (!sh_changes_state(&sc.cmds[0]))
            fail_msg("%s should change the shell's state", changing[k]);
    }
    static const char *const plain[] = {"time make", "command -p ls /tmp", "nohup true",
                                        "builtin", "time"};
    for (size_t k = 0; k < sizeof plain / sizeof *plain; k++) {
        sh_script sc = parse(plain[k]);
        if (sh_changes_state(&sc.cmds[0]))
            fail_msg("%s should not change the shell's state", plain[k]);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_and_chain),
        cmocka_unit_test(test_quotes_and_expansions),
        cmocka_unit_test(test_trailing_backslash),
        cmocka_unit_test(test_unbalanced),
        cmocka_unit_test(test_comment_background_trailing),
        cmocka_unit_test(test_compound),
        cmocka_unit_test(test_redirections_and_assignments),
        cmocka_unit_test(test_program_and_state),
        cmocka_unit_test(test_funcdef_loopvar_redirect_first),
        cmocka_unit_test(test_state_special_cases),
        cmocka_unit_test(test_state_behind_wrappers),
        cmocka_unit_test(test_chdir_and_bash_assignments),
    };
    int rc = cmocka_run_group_tests(tests, NULL, NULL);
    arena_free(&arena);
    return rc;
}
