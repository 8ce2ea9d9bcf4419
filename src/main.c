#include <stdio.h>
int main(void) { puts("wenyin " WY_VERSION); return 0; }
