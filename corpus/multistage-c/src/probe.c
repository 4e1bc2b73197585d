#include <curl/curl.h>
#include <stdio.h>

int main(void)
{
    curl_global_init(CURL_GLOBAL_DEFAULT);
    puts("probe");
    return 0;
}
