-- wrk script for bench/server.sh: POST /match with one yente-shaped query per request, cycling
-- through listed names, their variants and names on no list.
local names = {
  "Vladimir Putin", "Владимир Путин", "Rosoboronexport", "Kalashnikov Concern",
  "Zala Aero Group", "Ivan Petrov", "John Smith", "Huawei Technologies",
  "Sberbank of Russia", "Maria Garcia Lopez", "Alrosa", "Wagner Group",
}
local schemas = { "Person", "Person", "Company", "Company", "Company", "Person", "Person",
  "Company", "Company", "Person", "Company", "Organization" }
local i = 0
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
request = function()
  i = i % #names + 1
  local body = string.format(
    '{"queries": {"q1": {"schema": "%s", "properties": {"name": ["%s"]}}}}', schemas[i], names[i])
  return wrk.format(nil, nil, nil, body)
end
