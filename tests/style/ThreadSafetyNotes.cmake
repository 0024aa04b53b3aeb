# Every header of the hub, the SDK, the plugins and the test support opens with a comment that
# states its thread-safety ("Thread-safety: …", "… thread-safe", or the C header's "THREADS:"),
# value types and pure functions included, so a reader never has to guess from the code.
# Run as a test: cmake -DSOURCE_DIR=<repo> -P ThreadSafetyNotes.cmake; names every header without.
if(NOT SOURCE_DIR)
  message(FATAL_ERROR "pass -DSOURCE_DIR=<repository root>")
endif()
file(GLOB_RECURSE headers RELATIVE ${SOURCE_DIR}
  ${SOURCE_DIR}/hub/*.h ${SOURCE_DIR}/plugin-sdk/*.h ${SOURCE_DIR}/plugins/*.h
  ${SOURCE_DIR}/tests/support/*.h)
set(missing "")
foreach(header IN LISTS headers)
  file(STRINGS ${SOURCE_DIR}/${header} lines)
  set(opening "")
  foreach(line IN LISTS lines)
    if(line MATCHES "^#")  # the opening comment ends at the first directive
      break()
    endif()
    string(APPEND opening "${line}\n")
  endforeach()
  string(TOLOWER "${opening}" opening)
  if(NOT opening MATCHES "thread-safe|threads:")
    list(APPEND missing ${header})
  endif()
endforeach()
list(LENGTH headers count)
if(missing)
  list(JOIN missing "\n  " names)
  message(FATAL_ERROR "headers whose opening comment does not state their thread-safety:\n  ${names}")
endif()
message(STATUS "${count} headers state their thread-safety")
