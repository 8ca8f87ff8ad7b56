/* placeholder: being written */
typedef int qfq_placeholder_hours;
